"""How each province's one-stop system names and encodes its exports: headers, status and channel labels,
yes/no forms, timestamp format. The generator draws codes (the constants below) and a style turns them into
the province's labels, so the loader meets the variety real exports have.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.demo import calibration as cal

# Status codes drawn by the generator, in the order of the contract's vocabulary (labels per style below).
RECEIVED, PROCESSING, SUPPLEMENT, RESOLVED, REJECTED, WITHDRAWN = range(6)
DIRECT, ONLINE, POSTAL = range(3)


@dataclass(frozen=True)
class Style:
    headers: dict[str, str]  # canonical column (or pii_name / pii_phone) -> export header
    yes: str
    no: str
    flag_yes: str  # booleans of the digitisation flags (Bắc Kạn: x / blank)
    flag_no: str | None
    status: tuple[str, ...]  # labels by status code
    channel: tuple[str, str, str]
    online_level: tuple[str | None, str, str]  # none, partial, full
    applicant: tuple[str, str]  # citizen, organisation
    timestamp: str  # strftime format
    feedback_headers: dict[str, str]
    topic: tuple[str, str]  # procedure, official


HANOI_STYLE = Style(
    headers={
        "dossier_id": "Mã hồ sơ", "procedure_code": "Mã TTHC", "field_code": "Lĩnh vực", "unit_code": "Mã đơn vị",
        "pii_name": "Chủ hồ sơ", "pii_phone": "Số điện thoại", "received_at": "Ngày tiếp nhận",
        "due_at": "Ngày hẹn trả", "resolved_at": "Ngày kết thúc xử lý", "returned_at": "Ngày trả",
        "status": "Trạng thái", "channel": "Kênh thực hiện", "online_level": "Mức độ DVC",
        "has_fee": "Có phí, lệ phí", "paid_online": "Được thanh toán trực tuyến",
        "dossier_digitised": "Hồ sơ có thành phần số hóa", "result_electronic": "Kết quả điện tử",
        "data_reused": "Tái sử dụng dữ liệu", "digitised_shared": "Chia sẻ kho dữ liệu cá nhân",
        "citizen_data_used": "Sử dụng dữ liệu dân cư", "synced_on_time": "Đồng bộ đúng hạn",
        "rated_satisfied": "Đánh giá hài lòng", "applicant_type": "Đối tượng",
        "wait_minutes": "Thời gian chờ (phút)", "rejected_reason": "Lý do từ chối",
        "received_signed": "Hồ sơ có chữ ký số", "result_signed": "Kết quả có chữ ký số",
    },
    yes="Có", no="Không", flag_yes="Có", flag_no="Không",
    status=("Mới tiếp nhận", "Đang giải quyết", "Chờ bổ sung", "Đã giải quyết", "Từ chối", "Rút hồ sơ"),
    channel=("1", "2", "3"),
    online_level=(None, "Một phần", "Toàn trình"),
    applicant=("Công dân", "Tổ chức"),
    timestamp="%d/%m/%Y %H:%M:%S",
    feedback_headers={
        "feedback_id": "Mã PAKN", "unit_code": "Mã đơn vị", "pii_name": "Họ và tên", "pii_phone": "Điện thoại",
        "topic": "Loại PAKN", "received_at": "Ngày tiếp nhận", "due_at": "Hạn xử lý",
        "resolved_at": "Ngày trả lời", "satisfied": "Đánh giá hài lòng",
    },
    topic=("Thủ tục hành chính", "Hành vi cán bộ, công chức"),
)  # fmt: skip

HCMC_STYLE = Style(
    headers={
        "dossier_id": "MaHoSo", "procedure_code": "MaTTHC", "field_code": "MaLinhVuc", "unit_code": "MaDonVi",
        "pii_name": "ChuHoSo", "pii_phone": "SoDienThoai", "received_at": "NgayTiepNhan",
        "due_at": "NgayHenTra", "resolved_at": "NgayKetThucXuLy", "returned_at": "NgayTra",
        "status": "TrangThaiHoSo", "channel": "KenhThucHien", "online_level": "MucDo", "has_fee": "CoPhi",
        "paid_online": "DuocThanhToanTrucTuyen", "dossier_digitised": "HoSoCoThanhPhanSoHoa",
        "result_electronic": "KetQuaDienTu", "data_reused": "Khai thác dữ liệu số hóa",
        "digitised_shared": "Đồng bộ kho dữ liệu", "citizen_data_used": "Khai thác CSDL dân cư",
        "synced_on_time": "Đồng bộ DVCQG", "rated_satisfied": "Hài lòng", "applicant_type": "Loại đối tượng",
        "wait_minutes": "Thời gian chờ", "rejected_reason": "Lý do", "received_signed": "HoSoKySo",
        "result_signed": "KetQuaKySo",
    },
    yes="1", no="0", flag_yes="1", flag_no="0",
    status=("Đã tiếp nhận", "Đang xử lý", "Yêu cầu bổ sung", "Hoàn thành", "Không giải quyết", "Công dân rút hồ sơ"),
    channel=("1", "2", "3"),
    online_level=("Mức độ 2", "Mức độ 3", "Mức độ 4"),
    applicant=("Cá nhân", "Doanh nghiệp"),
    timestamp="%d/%m/%Y %H:%M:%S",
    feedback_headers={
        "feedback_id": "Số PAKN", "unit_code": "Đơn vị", "pii_name": "HoTen", "pii_phone": "Email",
        "topic": "Chủ đề", "received_at": "Ngày nhận", "due_at": "Hạn xử lý",
        "resolved_at": "Ngày kết thúc xử lý", "satisfied": "Hài lòng",
    },
    topic=("TTHC", "Cán bộ"),
)  # fmt: skip

BAC_KAN_STYLE = Style(
    headers={
        "dossier_id": "Số hồ sơ", "procedure_code": "Mã thủ tục", "field_code": "Mã lĩnh vực",
        "unit_code": "Đơn vị tiếp nhận", "pii_name": "Họ tên", "pii_phone": "Điện thoại",
        "received_at": "Ngày tiếp nhận", "due_at": "Ngày hẹn trả kết quả", "resolved_at": "Ngày có kết quả",
        "returned_at": "Ngày trả kết quả", "status": "Tình trạng", "channel": "Hình thức nộp",
        "online_level": "Mức độ", "has_fee": "Có phí", "paid_online": "Thanh toán trực tuyến",
        "dossier_digitised": "Số hóa hồ sơ", "result_electronic": "Số hóa kết quả",
        "data_reused": "Tái sử dụng dữ liệu", "digitised_shared": "Đồng bộ kho dữ liệu",
        "citizen_data_used": "Sử dụng dữ liệu dân cư", "synced_on_time": "Đồng bộ đúng hạn",
        "rated_satisfied": "Hài lòng", "applicant_type": "Đối tượng", "wait_minutes": "Thời gian chờ (phút)",
        "rejected_reason": "Lý do từ chối",
    },
    yes="Có", no="Không", flag_yes="x", flag_no=None,
    status=("Tiếp nhận", "Đang xử lý", "Chờ bổ sung", "Đã có kết quả", "Từ chối", "Rút hồ sơ"),
    channel=("Trực tiếp", "Trực tuyến", "Bưu chính công ích"),
    online_level=(None, "3", "4"),
    applicant=("Cá nhân", "Tổ chức"),
    timestamp="%d/%m/%Y %H:%M",
    feedback_headers={
        "feedback_id": "Mã phản ánh", "unit_code": "Mã đơn vị", "pii_name": "Họ tên", "pii_phone": "Số điện thoại",
        "topic": "Nội dung", "received_at": "Ngày tiếp nhận", "due_at": "Hạn xử lý",
        "resolved_at": "Ngày xử lý xong", "satisfied": "Hài lòng",
    },
    topic=("Quy định hành chính", "Công chức"),
)  # fmt: skip

STYLES = {cal.HANOI: HANOI_STYLE, cal.HCMC: HCMC_STYLE, cal.BAC_KAN: BAC_KAN_STYLE}
