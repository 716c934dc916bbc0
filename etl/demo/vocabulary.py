"""Vietnamese vocabulary for the demo data: fields (lĩnh vực), procedure names, names, reasons, questions.

Everything here is invented for the demo or paraphrased from public catalogues; nothing identifies a
real person. The generator (etl/demo/) picks from these lists with numpy indices.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    code: str
    name_vi: str
    name_en: str
    legal_days: tuple[float, ...]  # legal processing times its procedures use (0.5 = within the day)
    fee_share: float  # share of its procedures that charge a fee
    late_weight: float  # relative propensity of its dossiers to be resolved late (đất đai slowest)
    district_volume: float  # share of a district's dossiers
    organisation_share: float  # share of applicants that are organisations
    online_factor: float  # relative online uptake
    catalogue_share: float  # share of a province's catalogue
    authority: tuple[float, float, float]  # probabilities: province, district, commune level
    procedures: tuple[str, ...]


FIELDS: tuple[Field, ...] = (
    Field("HOTICH", "Hộ tịch", "Civil status", (0.5, 1, 3, 5, 10, 15), 0.55, 0.1, 0.18, 0.0, 1.0, 0.04,
          (0.12, 0.38, 0.50),
          ("Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử", "Đăng ký nhận cha, mẹ, con",
           "Đăng ký giám hộ", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
           "Cấp bản sao trích lục hộ tịch", "Cấp Giấy xác nhận tình trạng hôn nhân", "Đăng ký lại khai sinh",
           "Ghi vào Sổ hộ tịch việc hộ tịch đã giải quyết tại cơ quan có thẩm quyền của nước ngoài",
           "Đăng ký khai sinh kết hợp nhận cha, mẹ, con", "Xác định lại dân tộc")),
    Field("CHUNGTHUC", "Chứng thực", "Certification", (0.5, 1, 2), 0.95, 0.05, 0.32, 0.05, 0.35, 0.015,
          (0.10, 0.50, 0.40),
          ("Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực chữ ký trong giấy tờ, văn bản",
           "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
           "Chứng thực hợp đồng, giao dịch liên quan đến quyền sử dụng đất",
           "Chứng thực văn bản thỏa thuận phân chia di sản", "Chứng thực văn bản khai nhận di sản",
           "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
           "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
           "Chứng thực chữ ký người dịch", "Chứng thực di chúc", "Chứng thực văn bản từ chối nhận di sản",
           "Sửa lỗi sai sót trong hợp đồng, giao dịch đã được chứng thực")),
    Field("DATDAI", "Đất đai", "Land", (10, 15, 20, 30), 0.9, 8.0, 0.16, 0.1, 0.7, 0.06, (0.50, 0.35, 0.15),
          ("Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
           "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
           "Chuyển mục đích sử dụng đất", "Giao đất, cho thuê đất", "Gia hạn sử dụng đất",
           "Tách thửa hoặc hợp thửa đất", "Thu hồi đất", "Đăng ký thế chấp quyền sử dụng đất",
           "Xóa đăng ký thế chấp quyền sử dụng đất", "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
           "Đính chính Giấy chứng nhận đã cấp", "Hòa giải tranh chấp đất đai",
           "Cung cấp thông tin, dữ liệu đất đai")),
    Field("XAYDUNG", "Xây dựng", "Construction", (7, 15, 20, 30), 0.8, 4.0, 0.05, 0.3, 0.9, 0.06,
          (0.60, 0.35, 0.05),
          ("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "Cấp giấy phép xây dựng công trình",
           "Điều chỉnh giấy phép xây dựng", "Gia hạn giấy phép xây dựng", "Cấp lại giấy phép xây dựng",
           "Cấp giấy phép sửa chữa, cải tạo công trình", "Cấp giấy phép di dời công trình",
           "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở",
           "Cấp chứng chỉ hành nghề hoạt động xây dựng", "Cấp chứng chỉ năng lực hoạt động xây dựng",
           "Thẩm định dự án đầu tư xây dựng", "Cấp giấy phép quy hoạch")),
    Field("KHDT", "Kế hoạch và Đầu tư", "Planning and investment (business registration)", (3, 5, 10, 15),
          0.8, 1.5, 0.07, 0.7, 1.8, 0.12, (0.80, 0.20, 0.00),
          ("Đăng ký thành lập hộ kinh doanh", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
           "Tạm ngừng kinh doanh hộ kinh doanh", "Chấm dứt hoạt động hộ kinh doanh",
           "Đăng ký thành lập doanh nghiệp tư nhân", "Đăng ký thành lập công ty trách nhiệm hữu hạn",
           "Đăng ký thành lập công ty cổ phần", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
           "Thông báo thay đổi nội dung đăng ký doanh nghiệp",
           "Đăng ký hoạt động chi nhánh, văn phòng đại diện", "Cấp Giấy chứng nhận đăng ký đầu tư",
           "Đăng ký thành lập hợp tác xã")),
    Field("TNMT", "Tài nguyên và Môi trường", "Natural resources and environment", (10, 15, 20, 30), 0.6, 4.0,
          0.02, 0.8, 0.8, 0.07, (0.75, 0.20, 0.05),
          ("Thẩm định báo cáo đánh giá tác động môi trường", "Cấp giấy phép môi trường",
           "Cấp giấy phép khai thác nước dưới đất", "Cấp giấy phép xả nước thải vào nguồn nước",
           "Cấp giấy phép khai thác khoáng sản", "Đăng ký môi trường", "Cấp giấy phép thăm dò nước dưới đất",
           "Đóng cửa mỏ khoáng sản", "Cấp giấy phép hoạt động đo đạc và bản đồ",
           "Xác nhận hoàn thành công trình bảo vệ môi trường", "Cấp giấy phép khai thác, sử dụng nước mặt",
           "Tính tiền cấp quyền khai thác khoáng sản")),
    Field("LDTBXH", "Lao động - Thương binh và Xã hội", "Labour, invalids and social affairs", (5, 7, 10, 15, 20),
          0.05, 1.5, 0.08, 0.1, 0.8, 0.09, (0.55, 0.30, 0.15),
          ("Giải quyết trợ cấp xã hội hằng tháng", "Hỗ trợ chi phí mai táng", "Xác nhận hộ nghèo, hộ cận nghèo",
           "Cấp giấy phép lao động cho người nước ngoài", "Giải quyết hưởng trợ cấp thất nghiệp",
           "Công nhận người có công với cách mạng", "Giải quyết chế độ ưu đãi đối với thân nhân liệt sĩ",
           "Cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp", "Đăng ký nội quy lao động",
           "Tiếp nhận đối tượng vào cơ sở trợ giúp xã hội",
           "Xác định mức độ khuyết tật và cấp Giấy xác nhận khuyết tật", "Hỗ trợ người lao động")),
    Field("GDDT", "Giáo dục và Đào tạo", "Education and training", (5, 10, 15, 20), 0.1, 1.0, 0.03, 0.4, 1.1,
          0.10, (0.70, 0.25, 0.05),
          ("Chuyển trường đối với học sinh trung học cơ sở", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
           "Chỉnh sửa nội dung văn bằng, chứng chỉ", "Cho phép thành lập trường mầm non tư thục",
           "Cho phép trường tiểu học hoạt động giáo dục", "Công nhận trường đạt chuẩn quốc gia",
           "Xét tuyển sinh vào lớp 6", "Cấp phép dạy thêm, học thêm", "Cho phép thành lập trung tâm ngoại ngữ, tin học",
           "Công nhận đạt chuẩn phổ cập giáo dục", "Xét cấp hỗ trợ chi phí học tập", "Miễn, giảm học phí")),
    Field("TUPHAP", "Tư pháp", "Justice", (5, 10, 15), 0.7, 1.0, 0.02, 0.2, 1.2, 0.07, (0.85, 0.10, 0.05),
          ("Cấp Phiếu lý lịch tư pháp", "Đăng ký hoạt động văn phòng công chứng", "Cấp thẻ công chứng viên",
           "Đăng ký hành nghề luật sư với tư cách cá nhân", "Cấp thẻ đấu giá viên",
           "Đăng ký hoạt động Trung tâm tư vấn pháp luật", "Nhập quốc tịch Việt Nam", "Thôi quốc tịch Việt Nam",
           "Trở lại quốc tịch Việt Nam", "Công nhận báo cáo viên pháp luật",
           "Đăng ký hoạt động của tổ chức hành nghề luật sư",
           "Đăng ký hoạt động Văn phòng Thừa phát lại")),
    Field("YTE", "Y tế", "Health", (10, 15, 20, 30), 0.8, 2.0, 0.01, 0.8, 0.9, 0.12, (0.95, 0.05, 0.00),
          ("Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "Cấp giấy phép hoạt động khám bệnh, chữa bệnh",
           "Cấp Chứng chỉ hành nghề dược", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược",
           "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
           "Công bố đủ điều kiện sản xuất trang thiết bị y tế", "Cấp giấy xác nhận nội dung quảng cáo thực phẩm",
           "Công bố cơ sở đủ điều kiện sản xuất mỹ phẩm", "Công bố cơ sở đủ điều kiện tiêm chủng",
           "Cấp giấy phép hoạt động đối với trạm y tế", "Cấp lại giấy phép hoạt động khám bệnh, chữa bệnh",
           "Xác nhận kiến thức về an toàn thực phẩm")),
    Field("CONGTHUONG", "Công thương", "Industry and trade", (7, 10, 15), 0.7, 1.5, 0.02, 0.6, 1.0, 0.09,
          (0.85, 0.15, 0.00),
          ("Cấp Giấy phép bán lẻ rượu", "Cấp Giấy phép bán lẻ sản phẩm thuốc lá",
           "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu",
           "Cấp Giấy chứng nhận đủ điều kiện kinh doanh khí",
           "Cấp Giấy phép hoạt động điện lực", "Đăng ký thực hiện khuyến mại", "Cấp Giấy phép lập cơ sở bán lẻ",
           "Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh", "Đăng ký hoạt động bán hàng đa cấp",
           "Cấp Giấy phép sử dụng vật liệu nổ công nghiệp",
           "Cấp Giấy xác nhận ưu đãi dự án sản xuất sản phẩm công nghiệp hỗ trợ",
           "Cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn hóa chất")),
    Field("VHTTDL", "Văn hóa, Thể thao và Du lịch", "Culture, sports and tourism", (5, 7, 10), 0.5, 1.0, 0.02,
          0.6, 1.0, 0.08, (0.85, 0.10, 0.05),
          ("Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", "Đăng ký tổ chức lễ hội",
           "Thông báo tổ chức biểu diễn nghệ thuật", "Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa",
           "Công nhận hạng cơ sở lưu trú du lịch",
           "Cấp Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao", "Cấp Giấy phép tổ chức triển lãm",
           "Công nhận danh hiệu văn hóa", "Cấp Giấy phép xuất bản bản tin", "Cấp thẻ hướng dẫn viên du lịch",
           "Thông báo thành lập thư viện", "Cấp Giấy phép thành lập bảo tàng ngoài công lập")),
    Field("NOIVU", "Nội vụ", "Home affairs", (5, 10, 15, 20, 30), 0.0, 1.0, 0.01, 0.5, 0.6, 0.05,
          (0.70, 0.20, 0.10),
          ("Tặng Giấy khen", "Tặng Bằng khen", "Công nhận ban vận động thành lập hội", "Cho phép thành lập hội",
           "Đăng ký hoạt động tín ngưỡng", "Đăng ký sinh hoạt tôn giáo tập trung",
           "Thông báo tổ chức lễ hội tín ngưỡng", "Thẩm định thành lập đơn vị sự nghiệp công lập",
           "Tuyển dụng công chức", "Tiếp nhận vào làm công chức", "Thi nâng ngạch công chức",
           "Công nhận điều lệ quỹ xã hội, quỹ từ thiện")),
    Field("GTVT", "Giao thông vận tải", "Transport", (3, 5, 7, 10), 0.9, 1.0, 0.01, 0.3, 1.3, 0.08,
          (0.90, 0.10, 0.00),
          ("Đổi giấy phép lái xe", "Cấp lại giấy phép lái xe", "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô",
           "Cấp phù hiệu xe ô tô kinh doanh vận tải", "Đăng ký phương tiện thủy nội địa",
           "Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn",
           "Chấp thuận thiết kế kỹ thuật và phương án tổ chức giao thông",
           "Cấp giấy phép thi công công trình trên đường bộ đang khai thác", "Cấp giấy phép xe tập lái",
           "Công bố mở bến thủy nội địa", "Cấp giấy phép vận tải đường bộ quốc tế",
           "Cấp giấy phép liên vận")),
)  # fmt: skip

FIELD_INDEX = {f.code: i for i, f in enumerate(FIELDS)}

# Qualifiers that turn a base procedure into the variants a catalogue lists separately.
QUALIFIERS: tuple[str, ...] = (
    "",
    " (trường hợp thông thường)",
    " (trường hợp có yếu tố nước ngoài)",
    " (trường hợp bị mất, hỏng)",
    " (đối với tổ chức)",
    " (đối với cá nhân)",
    " (thủ tục rút gọn)",
    " (thực hiện liên thông)",
    " (điều chỉnh)",
    " (gia hạn)",
    " (cấp lại)",
    " (bổ sung)",
    " (khu vực đô thị)",
    " (khu vực nông thôn)",
)

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
                "Hồ", "Ngô", "Dương", "Lý")  # fmt: skip
FAMILY_WEIGHTS = (38, 11, 9.5, 7, 5, 5, 4.5, 4, 4, 2, 2, 1.5, 1.5, 1.3, 1, 0.5)
MIDDLE_NAMES = ("Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Quang", "Thu", "Hoài", "Xuân",
                "Thành", "Kim", "Hồng", "Gia", "Bảo")  # fmt: skip
GIVEN_NAMES = ("An", "Anh", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiền", "Hiếu", "Hoa",
               "Hùng", "Hương", "Huy", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Ngân", "Nhung",
               "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thành", "Trang", "Trung", "Tuấn", "Vy",
               "Yến")  # fmt: skip
COMPANY_KINDS = ("Công ty TNHH", "Công ty cổ phần", "Hộ kinh doanh", "Hợp tác xã")
COMPANY_WORDS = ("Thương mại", "Dịch vụ", "Xây dựng", "Đầu tư", "Sản xuất", "Công nghệ", "Vận tải", "Du lịch")
COMPANY_NAMES = ("Hưng Thịnh", "An Phát", "Minh Long", "Thành Công", "Việt Tiến", "Hoàng Gia", "Đại Dương",
                 "Sao Mai", "Phú Quý", "Tân Tiến", "Bình Minh", "Trường Sơn")  # fmt: skip

REJECTION_REASONS = (
    "Hồ sơ không đầy đủ thành phần theo quy định",
    "Thông tin kê khai không chính xác, không thống nhất",
    "Không thuộc thẩm quyền giải quyết",
    "Hồ sơ không đủ điều kiện giải quyết theo quy định",
    "Giấy tờ nộp kèm đã hết hiệu lực",
    "Người nộp không bổ sung hồ sơ trong thời hạn yêu cầu",
)

# Survey instruments (also written to data/reference/sipas/questions.csv; a test keeps them equal).
ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("tiep_can", "Tiếp cận dịch vụ", "Access to the service"),
    ("thu_tuc", "Thủ tục hành chính", "Administrative procedures"),
    ("cong_chuc", "Công chức", "Civil servants"),
    ("ket_qua", "Kết quả giải quyết", "Results"),
    ("pakn", "Tiếp nhận và xử lý góp ý, phản ánh, kiến nghị", "Handling of comments, feedback and petitions"),
)

# (instrument, first year, last year, [(question_code, element, text_vi, text_en), ...])
INSTRUMENTS: tuple[tuple[str, int, int | None, tuple[tuple[str, str, str, str], ...]], ...] = (
    ("SIPAS-2017", 2017, 2021, (
        ("S17.TC1", "tiep_can", "Nơi ngồi chờ tại Bộ phận Một cửa có đủ chỗ ngồi",
         "The waiting area of the one-stop desk has enough seats"),
        ("S17.TC2", "tiep_can", "Trang thiết bị phục vụ người dân, tổ chức tại Bộ phận Một cửa đầy đủ",
         "The one-stop desk has the equipment citizens and organisations need"),
        ("S17.TC3", "tiep_can", "Trang thiết bị phục vụ hiện đại, dễ sử dụng",
         "The equipment is modern and easy to use"),
        ("S17.TT1", "thu_tuc", "Thủ tục hành chính được niêm yết công khai đầy đủ",
         "The procedure is fully posted in public"),
        ("S17.TT2", "thu_tuc", "Thành phần hồ sơ phải nộp là đúng quy định",
         "The documents required are those the rules require"),
        ("S17.TT3", "thu_tuc", "Thời hạn giải quyết ghi trên giấy hẹn là đúng quy định",
         "The processing time on the appointment slip is the legal one"),
        ("S17.CC1", "cong_chuc", "Công chức có thái độ giao tiếp lịch sự",
         "The civil servant communicates politely"),
        ("S17.CC2", "cong_chuc", "Công chức chú ý lắng nghe ý kiến của người dân, tổ chức",
         "The civil servant listens to the applicant"),
        ("S17.CC3", "cong_chuc", "Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo, dễ hiểu",
         "The civil servant explains how to fill in the dossier helpfully and clearly"),
        ("S17.KQ1", "ket_qua", "Kết quả giải quyết đúng quy định", "The result complies with the rules"),
        ("S17.KQ2", "ket_qua", "Kết quả có thông tin đầy đủ, chính xác",
         "The result's information is complete and correct"),
        ("S17.KQ3", "ket_qua", "Kết quả được trả đúng hẹn", "The result was returned on the appointed date"),
        ("S17.PA1", "pakn", "Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị",
         "The agency offers a way to submit comments and petitions"),
        ("S17.PA2", "pakn", "Người dân, tổ chức dễ dàng thực hiện góp ý, phản ánh, kiến nghị",
         "Comments and petitions are easy to submit"),
        ("S17.PA3", "pakn", "Cơ quan tiếp nhận, xử lý góp ý, phản ánh, kiến nghị tích cực, kịp thời",
         "The agency handles comments and petitions actively and promptly"),
    )),
    ("SIPAS-2022", 2022, None, (
        ("S22.TC1", "tiep_can",
         "Thông tin về thủ tục hành chính dễ tìm hiểu, tra cứu tại trụ sở và trên Cổng Dịch vụ công",
         "Information about the procedure is easy to find at the office and on the public service portal"),
        ("S22.TC2", "tiep_can", "Dễ dàng nộp hồ sơ trực tuyến trên Cổng Dịch vụ công",
         "Submitting the dossier online on the public service portal is easy"),
        ("S22.TC3", "tiep_can", "Bộ phận Một cửa bố trí thuận tiện, đủ trang thiết bị",
         "The one-stop desk is conveniently located and well equipped"),
        ("S22.TC4", "tiep_can", "Thanh toán phí, lệ phí trực tuyến thuận tiện",
         "Paying fees online is convenient"),
        ("S22.TT1", "thu_tuc", "Thành phần hồ sơ phải nộp là hợp lý", "The documents required are reasonable"),
        ("S22.TT2", "thu_tuc", "Phí, lệ phí phải nộp là đúng quy định", "The fees charged are the legal ones"),
        ("S22.TT3", "thu_tuc", "Thời hạn giải quyết là hợp lý", "The processing time is reasonable"),
        ("S22.CC1", "cong_chuc", "Công chức có thái độ lịch sự, tôn trọng người dân, tổ chức",
         "The civil servant is polite and respectful"),
        ("S22.CC2", "cong_chuc", "Công chức hướng dẫn tận tình, dễ hiểu",
         "The civil servant's guidance is helpful and clear"),
        ("S22.CC3", "cong_chuc", "Công chức giải quyết công việc đúng quy định",
         "The civil servant handles the case by the rules"),
        ("S22.CC4", "cong_chuc", "Công chức không gây phiền hà, sách nhiễu",
         "The civil servant causes no trouble and asks for nothing extra"),
        ("S22.KQ1", "ket_qua", "Kết quả được trả đúng hạn", "The result was returned on time"),
        ("S22.KQ2", "ket_qua", "Kết quả đúng quy định, thông tin chính xác",
         "The result complies with the rules and its information is correct"),
        ("S22.KQ3", "ket_qua", "Được nhận kết quả điện tử hoặc qua bưu chính công ích khi có nhu cầu",
         "The result can be received electronically or by public postal service on request"),
        ("S22.PA1", "pakn", "Dễ dàng gửi góp ý, phản ánh, kiến nghị trực tiếp hoặc trực tuyến",
         "Comments and petitions are easy to send in person or online"),
        ("S22.PA2", "pakn", "Góp ý, phản ánh, kiến nghị được tiếp nhận, xử lý kịp thời",
         "Comments and petitions are received and handled promptly"),
        ("S22.PA3", "pakn", "Kết quả xử lý góp ý, phản ánh, kiến nghị được thông báo đầy đủ",
         "The outcome of a comment or petition is fully reported back"),
    )),
)  # fmt: skip


def instrument_for(year: int) -> tuple[str, tuple[tuple[str, str, str, str], ...]]:
    for name, first, last, questions in INSTRUMENTS:
        if first <= year and (last is None or year <= last):
            return name, questions
    raise ValueError(f"no survey instrument for {year}")
