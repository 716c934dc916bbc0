"""The data contract: every table the lake holds, its columns, types, aliases and codes.

This module is the only place that knows column names, header aliases and code vocabularies.
Readers, the validator, the lake writer, the demo generator and docs/data-contract.md all read it.
`python -m etl contract` renders docs/data-contract.md from it (a test keeps the doc current).

Column types (what the parser turns raw text into, and the lake's Parquet type):
- text       free text, normalised to NFC and trimmed                      VARCHAR
- code       one canonical value of a vocabulary (`codes=`), matched on     VARCHAR
             any accepted form, case- and diacritics-insensitive
- unit_code  NSO code (01 province, 001 district, 00001 commune) or a        VARCHAR
             department code `<province>.<short>`, read on the row's date
             (etl/unit_resolution.py, docs/units.md): it must name a unit on it
- date       dd/mm/yyyy, ISO yyyy-mm-dd or an Excel serial                  DATE
- timestamp  a date with an optional time HH:MM[:SS]                        TIMESTAMP
- integer    whole number, Vietnamese or English separators                 BIGINT
- number     decimal number, "1.234,5" or "1234.5"; "98,9%" becomes 0.989   DOUBLE
- boolean    có/không, x/blank, 1/0, true/false, yes/no                      BOOLEAN
"""

from __future__ import annotations

from dataclasses import dataclass, field

from queries.vocabulary import REASONS as REASONS  # re-exported: the writer names reasons with it
from queries.vocabulary import fold_text as fold_text  # the words etl and the readers share

TYPES = ("text", "code", "unit_code", "date", "timestamp", "integer", "number", "boolean")

PARQUET_TYPE = {
    "text": "VARCHAR",
    "code": "VARCHAR",
    "unit_code": "VARCHAR",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    codes: str | None = None  # vocabulary name, for type "code"
    unit_level: str | None = None  # unit_code: the one level its units may have (province), None: any
    empty_as: str | None = None  # the code an empty cell means (online_level: blank is "none")
    stored: bool = True  # False: read to check other columns (a unit's name beside its code), not kept
    default: str | None = None  # the text a file without this column gets (docs/data-contract.md)

    def __post_init__(self) -> None:
        assert self.type in TYPES, f"{self.name}: unknown type {self.type}"
        assert (self.type == "code") == (self.codes is not None), f"{self.name}: codes mismatch"


@dataclass(frozen=True)
class Table:
    name: str
    grain: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    description: str
    kind: str | None = None  # the `python -m etl load KIND` that feeds it; None = reference only
    partition_by: str | None = None  # Hive partition column, derived from a timestamp column
    partition_source: str | None = None
    upsert: bool = False  # a later row with the same key replaces the earlier one
    reference_file: str | None = None  # committed CSV under data/reference/ loaded on every publish
    checks: tuple[str, ...] = field(default_factory=tuple)  # row rules, see etl/validate.py
    # Columns the loader fills from others (a unit code matched from its name, a period from its label):
    # a file need not have them; a row whose derived values cannot be filled is quarantined with the
    # reason (etl/unit_names.py), so every row that loads has them.
    derived: tuple[str, ...] = field(default_factory=tuple)
    # The date a row's unit codes are read on (etl/unit_resolution.py): (column, "day") for a date or
    # timestamp, (column, "year") for a year (a unit valid on any day of it).
    unit_date: tuple[str, str] | None = None

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name}")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def stored_columns(self) -> tuple[Column, ...]:
        """The columns the lake keeps (a check-only column such as a unit's name is not kept)."""
        return tuple(c for c in self.columns if c.stored)


# ---------------------------------------------------------------------------------------------
# Code vocabularies: canonical value -> accepted forms (matched after fold_text()).
# ---------------------------------------------------------------------------------------------
VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "status": {
        "received": ("Đã tiếp nhận", "Mới tiếp nhận", "Tiếp nhận"),
        "processing": ("Đang xử lý", "Đang giải quyết"),
        "supplement": ("Chờ bổ sung", "Yêu cầu bổ sung"),
        "resolved": ("Đã giải quyết", "Hoàn thành", "Đã có kết quả", "Đã trả kết quả"),
        "rejected": ("Từ chối", "Không giải quyết"),
        "withdrawn": ("Rút hồ sơ", "Công dân rút hồ sơ"),
    },
    "channel": {
        "direct": ("1", "Trực tiếp"),
        "online": ("2", "Trực tuyến"),
        "postal": ("3", "Bưu chính", "BCCI", "Bưu chính công ích"),
    },
    "online_level": {
        "full": ("Toàn trình", "Mức độ 4", "Mức 4", "4"),
        "partial": ("Một phần", "Mức độ 3", "Mức 3", "3"),
        "none": ("Mức độ 2", "Mức 2", "2", "Cung cấp thông tin", ""),
    },
    "applicant_type": {
        "citizen": ("Công dân", "Cá nhân"),
        "organisation": ("Tổ chức", "Doanh nghiệp"),
    },
    "unit_level": {
        "province": ("Tỉnh", "Thành phố trực thuộc trung ương"),
        "district": ("Huyện", "Quận", "Thị xã", "Thành phố thuộc tỉnh"),
        "commune": ("Xã", "Phường", "Thị trấn", "Đặc khu"),
        "department": ("Sở", "Ban", "Ngành", "Sở, ban, ngành"),
    },
    "crosswalk_relation": {
        "whole": ("Nhập toàn bộ",),
        "part": ("Nhập một phần",),
        "part_area": ("Nhập một phần diện tích",),
        "part_area_all_population": ("Nhập một phần diện tích, toàn bộ dân số",),
        "part_population": ("Nhập một phần dân số",),
        "unchanged": ("Giữ nguyên",),
        "type_changed": ("Đổi loại hình",),
        "derived": ("Suy ra",),
    },
    "authority_level": {
        "central": ("Trung ương", "Bộ"),
        "province": ("Tỉnh", "Cấp tỉnh"),
        "district": ("Huyện", "Cấp huyện"),
        "commune": ("Xã", "Cấp xã"),
    },
    "feedback_topic": {
        "procedure": ("Thủ tục hành chính", "TTHC", "Quy định hành chính"),
        "official": ("Cán bộ", "Công chức", "Hành vi cán bộ, công chức"),
    },
    "survey_kind": {
        "assessment": ("Đánh giá",),
        "satisfaction": ("Hài lòng",),
        "expectation": ("Mong đợi", "Kỳ vọng"),
    },
    "papi_level": {
        "dimension": ("Chỉ số nội dung", "Dimension"),
        "sub_dimension": ("Chỉ số nội dung thành phần", "Sub-dimension", "sub dimension"),
        "total": ("Tổng", "Total", "total_unweighted"),
    },
    "comparator": {
        ">=": ("≥", "gte", "ít nhất", "tối thiểu"),
        "<=": ("≤", "lte", "tối đa"),
        "=": ("==", "eq", "bằng"),
    },
    "period_type": {
        "year": ("Năm", "Cả năm"),
        "quarter": ("Quý",),
        "month": ("Tháng",),
    },
    "portal_listing": {
        "national_list": ("Danh sách tỉnh", "Các tỉnh, thành phố"),
        "province_list": ("Danh sách đơn vị của tỉnh", "Sở, ngành, xã, phường"),
        "province_overview": ("Tổng quan tỉnh",),
    },
    "pci_level": {
        "total": ("PCI", "Tổng", "Chỉ số PCI"),
        "sub_index": ("Chỉ số thành phần", "Sub-index", "sub index"),
    },
    "published_index": {
        "PAR": ("PAR Index", "Chỉ số CCHC", "Chỉ số cải cách hành chính"),
        "SIPAS": ("Chỉ số hài lòng", "Chỉ số SIPAS"),
        "PAPI": ("Chỉ số PAPI",),
        "PCI": ("Chỉ số PCI", "Chỉ số năng lực cạnh tranh cấp tỉnh"),
    },
    "geography": {
        "province": ("Tỉnh", "Tỉnh, thành phố"),
        "national": ("Cả nước", "Toàn quốc"),
    },
    "published_level": {
        "total": ("Tổng", "Chỉ số chung"),
        "component": ("Thành phần", "Lĩnh vực", "Yếu tố"),
    },
    "calendar_day": {
        "holiday": ("Ngày lễ", "Nghỉ lễ", "Nghỉ Tết"),
        "compensatory": ("Nghỉ bù",),
        "swapped_off": ("Nghỉ hoán đổi",),
        "swapped_work": ("Làm bù", "Làm việc bù"),
    },
    "plan_item_type": {
        "target": ("Mục tiêu", "Chỉ tiêu"),
        "task": ("Nhiệm vụ", "Công việc", "Nhiệm vụ, giải pháp"),
    },
    "plan_status": {
        "done": ("Hoàn thành", "Đã hoàn thành", "Đã thực hiện", "Xong", "Đạt"),
        "in_progress": ("Đang thực hiện", "Đang triển khai", "Chưa hoàn thành", "Đang làm"),
        "not_started": ("Chưa thực hiện", "Chưa triển khai", ""),
    },
}


def vocabulary_lookup(name: str) -> dict[str, str]:
    """Folded accepted form -> canonical code, including the canonical code itself."""
    lookup: dict[str, str] = {}
    for canonical, forms in VOCABULARIES[name].items():
        for form in (canonical, *forms):
            lookup[fold_text(form)] = canonical
    return lookup


# Yes/no forms (matched after fold_text); an empty cell is null, which the indices count as "no".
BOOLEAN_FORMS: dict[bool, tuple[str, ...]] = {
    True: ("có", "x", "1", "true", "yes", "đúng", "y"),
    False: ("không", "0", "false", "no", "sai", "n"),
}

# ---------------------------------------------------------------------------------------------
# Personal data of applicants: any column whose folded header matches is dropped on read.
# ---------------------------------------------------------------------------------------------
PII_HEADERS: tuple[str, ...] = (
    "ChuHoSo", "Chủ hồ sơ", "Người nộp", "Tên người nộp", "Họ tên", "Họ và tên", "HoTen",
    "SoGiayToChuHoSo", "Số giấy tờ", "Số CMND", "CMND", "CCCD", "Số CCCD", "Số định danh",
    "SoDienThoai", "Số điện thoại", "Điện thoại", "DienThoai",
    "Email", "Thư điện tử",
    "DiaChi", "Địa chỉ", "Địa chỉ liên hệ", "DiaChiChuHoSo", "Địa chỉ chủ hồ sơ",
)  # fmt: skip


def C(  # noqa: N802 (a one-letter constructor keeps the tables below one column per line)
    name,
    type_,
    description,
    *aliases,
    required=False,
    codes=None,
    unit_level=None,
    empty_as=None,
    stored=True,
    default=None,
) -> Column:
    return Column(name, type_, description, required, tuple(aliases), codes, unit_level, empty_as, stored, default)


# A unit-code value meaning "every unit": the national procedure catalogue, a target for all units.
ALL_UNITS = "all"
# The first day of the earliest period: what a catalogue without publication dates is valid from (the
# same convention as the units valid "for all historic data", docs/units.md).
EARLIEST_DAY = "2000-01-01"


def UNIT_NAME() -> Column:  # noqa: N802
    """The unit's name beside its code in an export: checked against the code when the code is not
    read at its own length (Excel dropped its zeros), never stored (docs/units.md)."""
    return C(
        "unit_name",
        "text",
        "Name of the unit beside its code (checked, not stored)",
        "Tên đơn vị",
        "TenDonVi",
        "Tên cơ quan",
        "TenCoQuan",
        "Tên đơn vị tiếp nhận",
        "Tên đơn vị xử lý",
        stored=False,
    )


UNITS = Table(
    name="units",
    kind="units",
    grain="one row per unit per validity period",
    key=("unit_code", "valid_from"),
    description="Administrative units of both eras (NSO codes: a code names a unit only together with a date) and departments.",
    columns=(
        C("unit_code", "unit_code", "GSO code (province 2, district 3, commune 5 digits) or department code `<province>.<short>`", "Mã đơn vị", "MaDonVi", "Mã", required=True),
        C("name", "text", "Official name with its prefix (Quận Ba Đình)", "Tên đơn vị", "TenDonVi", "Tên", required=True),
        C("short_name", "text", "Name without the administrative prefix (Ba Đình)", "Tên ngắn"),
        C("level", "code", "province, district, commune or department", "Cấp", "Cấp hành chính", required=True, codes="unit_level"),
        C("parent_code", "text", "Code of the unit above (empty for provinces)", "Mã đơn vị cha", "Mã cấp trên"),
        C("province_code", "text", "2-digit GSO code of the province", "Mã tỉnh", required=True),
        C("valid_from", "date", "First day the unit existed in this form", "Hiệu lực từ", required=True),
        C("valid_to", "date", "Last day (empty while current)", "Hiệu lực đến"),
        C("formed_on", "date", "Day the unit took the territory it has in this row: with the code, the unit's identity in time. A rename or type change keeps it, a merger or split starts a new unit. Empty (or absent from a loaded file): valid_from", "Ngày hình thành"),
    ),
)  # fmt: skip

UNIT_CROSSWALK = Table(
    name="unit_crosswalk",
    grain="one row per old unit × new unit × date of the change",
    key=("old_code", "new_code", "effective"),
    description="Old unit → new unit: the reorganisation of 1 July 2025 and the department mergers of 1 March 2025; the weights of one old unit sum to 1 per new level.",
    reference_file="units/crosswalk_2025.csv",
    columns=(
        C("old_code", "text", "Unit code before the change", "Mã cũ", required=True),
        C("old_level", "code", "Level of the old unit", "Cấp cũ", required=True, codes="unit_level"),
        C("old_name", "text", "Name before the change", "Tên cũ"),
        C("new_code", "text", "Unit code after the change", "Mã mới", required=True),
        C("new_level", "code", "Level of the new unit", "Cấp mới", required=True, codes="unit_level"),
        C("new_name", "text", "Name after the change", "Tên mới"),
        C("weight", "number", "Share of the old unit that went to the new one (docs/units.md: the weights)", "Tỷ trọng", required=True),
        C("relation", "code", "whole, part, part_area, part_area_all_population, part_population, unchanged or type_changed (the NSO table's note), derived (a district through its communes)", "Quan hệ", "Ghi chú", required=True, codes="crosswalk_relation"),
        C("approximate", "boolean", "The weight is an estimate (a split commune, a district through its communes, a department split)", "Ước tính", required=True),
        C("effective", "date", "Date the change took effect", "Ngày hiệu lực", required=True),
    ),
)  # fmt: skip

PROCEDURES = Table(
    name="procedures",
    kind="procedures",
    grain="one row per province × procedure × publication (a later catalogue of the province adds a version; the version in force on a date is the latest published by then)",
    key=("province_code", "procedure_code", "published_at"),
    upsert=True,
    unit_date=("published_at", "day"),
    description="The procedure catalogue each province publishes, with the attributes the indices need.",
    columns=(
        C("procedure_code", "text", "National procedure code, e.g. 1.004227", "Mã TTHC", "MaTTHC", "Mã thủ tục", required=True),
        C("province_code", "unit_code", "Province whose catalogue lists it; `all` for the national catalogue (a file without this column, loaded without --province)", "Mã tỉnh", unit_level="province", default=ALL_UNITS),
        C("name", "text", "Procedure name", "Tên TTHC", "TenTTHC", "Tên thủ tục", required=True),
        C("field_code", "text", "Field (lĩnh vực) code", "Mã lĩnh vực", "MaLinhVuc", "Lĩnh vực", required=True),
        C("field_name", "text", "Field name", "Tên lĩnh vực", "TenLinhVuc"),
        C("authority_level", "code", "Level that resolves it", "Cấp thực hiện", "Cấp thẩm quyền", codes="authority_level"),
        C("full_online_eligible", "boolean", "Eligible to be done fully online (toàn trình)", "Đủ điều kiện toàn trình", "DVC toàn trình"),
        C("online_service", "code", "Online public service offered for it: full (toàn trình), partial (một phần) or none", "Mức độ DVCTT", "Dịch vụ công trực tuyến", "Mức độ DVC", "Mức độ dịch vụ công trực tuyến", codes="online_level"),
        C("has_fee", "boolean", "Charges a fee or charge", "Có phí", "Có phí, lệ phí", "CoPhi"),
        C("legal_days", "number", "Legal processing time in days", "Thời hạn giải quyết", "Số ngày giải quyết"),
        C("published_at", "date", "Date the province announced it (công bố); a file without it (and loaded without --published-at) is valid from the earliest period", "Ngày công bố", default=EARLIEST_DAY),
        C("abolished_at", "date", "Date it was abolished or replaced", "Ngày bãi bỏ"),
        C("published_on_time", "boolean", "Announced on time after the legal document took effect", "Công bố đúng hạn"),
        C("public_updated_on_time", "boolean", "Updated on the national procedure database on time", "Cập nhật CSDLQG đúng hạn", "Công khai đúng hạn"),
        C("public_content_full", "boolean", "Published with its full content", "Công khai đầy đủ nội dung", "Công khai đầy đủ"),
        C("citizen_data_connected", "boolean", "Connected to the national population database", "Kết nối dữ liệu dân cư", "Kết nối CSDL dân cư"),
    ),
)  # fmt: skip

DOSSIERS = Table(
    name="dossiers",
    kind="dossiers",
    grain="one row per dossier (hồ sơ); a later export of the same dossier_id replaces the earlier row",
    key=("dossier_id",),
    upsert=True,
    partition_by="year",
    partition_source="received_at",
    unit_date=("received_at", "day"),
    description="One-stop-shop dossier exports (hồ sơ TTHC). Applicant personal data is dropped on read.",
    checks=("due_not_before_received", "resolved_not_before_received", "returned_not_before_received",
            "resolved_at_when_final"),
    columns=(
        C("dossier_id", "text", "Dossier number", "Mã hồ sơ", "MaHoSo", "Số hồ sơ", required=True),
        C("procedure_code", "text", "Procedure (TTHC) code", "Mã TTHC", "MaTTHC", "Mã thủ tục", required=True),
        C("unit_code", "unit_code", "Unit that received the dossier", "Mã đơn vị", "MaDonVi", "Đơn vị tiếp nhận", "Mã cơ quan", required=True),
        UNIT_NAME(),
        C("field_code", "text", "Field code as exported (the catalogue's field is authoritative)", "Lĩnh vực", "MaLinhVuc", "Mã lĩnh vực"),
        C("received_at", "timestamp", "Received (Ngày tiếp nhận)", "Ngày tiếp nhận", "NgayTiepNhan", required=True),
        C("due_at", "timestamp", "Due (Ngày hẹn trả)", "Ngày hẹn trả", "NgayHenTra", "Ngày hẹn trả kết quả"),
        C("resolved_at", "timestamp", "Processing ended, whatever the final status (Ngày kết thúc xử lý)", "Ngày kết thúc xử lý", "NgayKetThucXuLy", "Ngày có kết quả"),
        C("returned_at", "timestamp", "Result handed to the applicant (Ngày trả)", "Ngày trả", "NgayTra", "Ngày trả kết quả"),
        C("status", "code", "received, processing, supplement, resolved, rejected or withdrawn", "Trạng thái", "TrangThaiHoSo", "Tình trạng", required=True, codes="status"),
        C("channel", "code", "direct, online or postal", "Kênh thực hiện", "KenhThucHien", "Hình thức nộp", required=True, codes="channel"),
        C("online_level", "code", "full, partial or none", "Mức độ DVC", "Mức độ", "MucDo", "Mức độ dịch vụ công", codes="online_level", empty_as="none"),
        C("has_fee", "boolean", "The dossier carries a fee (else taken from the catalogue)", "Có phí", "Có phí, lệ phí", "CoPhi"),
        C("paid_online", "boolean", "Paid online", "Được thanh toán trực tuyến", "DuocThanhToanTrucTuyen", "Thanh toán trực tuyến"),
        C("dossier_digitised", "boolean", "Dossier components digitised", "Hồ sơ có thành phần số hóa", "HoSoCoThanhPhanSoHoa", "Số hóa hồ sơ"),
        C("result_electronic", "boolean", "Result issued electronically", "Số hóa kết quả", "Kết quả điện tử", "KetQuaDienTu"),
        C("data_reused", "boolean", "Reused data the state already holds (the applicant did not re-submit it)", "Tái sử dụng dữ liệu", "Khai thác dữ liệu số hóa", "Tái sử dụng dữ liệu số hóa"),
        C("received_signed", "boolean", "Received with a digital signature (the applicant signed the dossier digitally)", "Hồ sơ có chữ ký số", "Tiếp nhận có chữ ký số", "Ký số hồ sơ", "Hồ sơ ký số", "HoSoKySo"),
        C("result_signed", "boolean", "Result issued with the authority's digital signature", "Kết quả có chữ ký số", "Ký số kết quả", "Kết quả ký số", "KetQuaKySo"),
        C("digitised_shared", "boolean", "Digitised components shared to the citizen's storage on the national portal", "Đồng bộ kho dữ liệu", "Chia sẻ kho dữ liệu cá nhân"),
        C("citizen_data_used", "boolean", "Used the national population database", "Sử dụng dữ liệu dân cư", "Khai thác CSDL dân cư"),
        C("synced_on_time", "boolean", "Status synchronised to the national portal on time", "Đồng bộ đúng hạn", "Đồng bộ DVCQG"),
        C("rated_satisfied", "boolean", "Applicant rated the handling satisfied (empty: not rated)", "Hài lòng", "Đánh giá hài lòng"),
        C("applicant_type", "code", "citizen or organisation", "Đối tượng", "Loại đối tượng", codes="applicant_type"),
        C("wait_minutes", "number", "Minutes waited at the counter", "Thời gian chờ (phút)", "Thời gian chờ"),
        C("rejected_reason", "text", "Reason for rejection", "Lý do từ chối", "Lý do"),
    ),
)  # fmt: skip

FEEDBACK = Table(
    name="feedback",
    kind="feedback",
    grain="one row per citizen petition (phản ánh, kiến nghị)",
    key=("feedback_id",),
    upsert=True,
    unit_date=("received_at", "day"),
    description="Citizen petitions (PAKN) about procedures and officials.",
    checks=("due_not_before_received", "resolved_not_before_received"),
    columns=(
        C("feedback_id", "text", "Petition number", "Mã PAKN", "Mã phản ánh", "Số PAKN", required=True),
        C("unit_code", "unit_code", "Unit the petition concerns", "Mã đơn vị", "Đơn vị", required=True),
        UNIT_NAME(),
        C("topic", "code", "procedure or official", "Nội dung", "Chủ đề", "Loại PAKN", codes="feedback_topic"),
        C("received_at", "timestamp", "Received", "Ngày tiếp nhận", "Ngày nhận", required=True),
        C("due_at", "timestamp", "Due", "Hạn xử lý", "Ngày hẹn trả"),
        C("resolved_at", "timestamp", "Answered", "Ngày xử lý xong", "Ngày trả lời", "Ngày kết thúc xử lý"),
        C("satisfied", "boolean", "Petitioner satisfied with the answer (empty: not rated)", "Hài lòng", "Đánh giá hài lòng"),
    ),
)  # fmt: skip

QUEUE_TICKETS = Table(
    name="queue_tickets",
    kind="queue_tickets",
    grain="one row per ticket taken at a one-stop counter's ticket machine (lấy số thứ tự)",
    key=("unit_code", "issued_at", "ticket_number"),
    upsert=True,
    unit_date=("issued_at", "day"),
    description=(
        "Queue-ticket exports of the ticket machines at one-stop counters: when a visitor took a number and "
        "when it was called. The wait is the minutes between the two; a ticket never called is a visitor who left."
    ),
    checks=("called_not_before_issued",),
    columns=(
        C("ticket_number", "text", "Ticket number as printed (numbers restart every day)", "Số thứ tự", "STT", "Số vé", "Số phiếu", "Số", required=True),
        C("unit_code", "unit_code", "Unit whose one-stop office issued the ticket", "Mã đơn vị", "MaDonVi", "Mã cơ quan", "Đơn vị", required=True),
        UNIT_NAME(),
        C("issued_at", "timestamp", "When the number was taken", "Thời gian lấy số", "Giờ lấy số", "Thời điểm lấy số", "Ngày giờ lấy số", "Lấy số lúc", required=True),
        C("called_at", "timestamp", "When the number was called to a counter (empty: never called)", "Thời gian gọi số", "Giờ gọi số", "Thời điểm gọi", "Gọi số lúc", "Giờ gọi"),
        C("counter", "text", "Counter (quầy) that called it", "Quầy", "Quầy số", "Quầy giao dịch", "Quầy tiếp nhận"),
        C("service", "text", "Service or field the visitor chose at the machine", "Dịch vụ", "Nhóm dịch vụ", "Lĩnh vực", "Thủ tục"),
    ),
)  # fmt: skip

ONE_STOP_OFFICES = Table(
    name="one_stop_offices",
    kind="one_stop_offices",
    grain="one row per one-stop office × list date (a province's list of its one-stop offices as of a day)",
    key=("as_of", "unit_code"),
    upsert=True,
    unit_date=("as_of", "day"),
    description=(
        "The one-stop offices (bộ phận một cửa; at province level the Trung tâm Phục vụ hành chính công) a "
        "province lists as of a day: one row per office, keyed by the unit it serves. The office's level is "
        "that unit's level on the day. A later list of the same day replaces the earlier rows of its units."
    ),
    columns=(
        C("as_of", "date", "Day the list describes (Tính đến ngày); a file without it takes --as-of", "Tính đến ngày", "Ngày báo cáo", "Ngày cập nhật", required=True),
        C("unit_code", "unit_code", "Unit the office serves (province, district, commune or department)", "Mã đơn vị", "MaDonVi", "Mã cơ quan", "Đơn vị", required=True),
        UNIT_NAME(),
        C("office_name", "text", "Name of the office", "Tên bộ phận một cửa", "Bộ phận một cửa", "Tên bộ phận", "Tên trung tâm", "Tên cơ quan một cửa", required=True),
        C("source", "text", "Decision or report the list comes from", "Nguồn", "Căn cứ", "Quyết định thành lập"),
    ),
)  # fmt: skip

PLAN_ITEMS = Table(
    name="plan_items",
    kind="plan",
    grain="one row per target or task of a province's yearly administrative-reform (CCHC) plan",
    key=("province_code", "year", "item_code"),
    upsert=True,
    unit_date=("year", "year"),
    description=(
        "A province's yearly CCHC plan (kế hoạch cải cách hành chính) and its progress: every target and task "
        "with its group, lead unit, deadline, status, date done and evidence, as of the day the statuses were "
        "reported. A later file of the same plan replaces the rows of its items."
    ),
    columns=(
        C("province_code", "unit_code", "Province whose plan it is; a file without it takes --province", "Mã tỉnh", "Tỉnh", unit_level="province", required=True),
        C("year", "integer", "Plan year; a file without it takes --year", "Năm", "Năm kế hoạch", required=True),
        C("item_type", "code", "target (mục tiêu, chỉ tiêu) or task (nhiệm vụ)", "Loại", "Phân loại", "Mục tiêu/Nhiệm vụ", codes="plan_item_type", required=True),
        C("item_code", "text", "Code or number of the item in the plan (1.2, NV-15)", "Mã", "Mã nhiệm vụ", "Mã chỉ tiêu", "Số hiệu", "STT", required=True),
        C("group_name", "text", "Group of the plan the item belongs to (cải cách thể chế, cải cách TTHC, ...)", "Nhóm", "Nhóm nhiệm vụ", "Nội dung CCHC", "Lĩnh vực CCHC"),
        C("description", "text", "What the target or task is", "Nội dung", "Nội dung nhiệm vụ", "Tên nhiệm vụ", "Mô tả", required=True),
        C("lead_unit", "text", "Unit in charge (cơ quan chủ trì)", "Cơ quan chủ trì", "Đơn vị chủ trì", "Chủ trì", "Cơ quan thực hiện"),
        C("deadline", "date", "Deadline (thời hạn hoàn thành)", "Thời hạn", "Thời hạn hoàn thành", "Hạn hoàn thành"),
        C("status", "code", "done, in_progress or not_started (empty: not started)", "Tình trạng", "Trạng thái", "Kết quả thực hiện", "Tiến độ", codes="plan_status", empty_as="not_started"),
        C("done_on", "date", "Day it was done", "Ngày hoàn thành", "Thời gian hoàn thành thực tế", "Hoàn thành ngày"),
        C("evidence", "text", "Evidence that it was done (a document's number, a link)", "Minh chứng", "Sản phẩm", "Kết quả, sản phẩm", "Văn bản"),
        C("indicator", "text", "For a target: the code of an indicator the dashboard computes (data/reference/indicators.csv: on_time_rate, online_rate, ...)", "Mã chỉ số", "Chỉ số đo lường"),
        C("target_value", "number", "For a target: the value to reach, in the indicator's unit (rates as fractions: 0.3 or 30 %)", "Giá trị mục tiêu", "Chỉ tiêu cần đạt", "Giá trị"),
        C("reported_on", "date", "Day the statuses were reported; a file without it takes --as-of", "Ngày báo cáo", "Tính đến ngày", "Ngày cập nhật"),
    ),
)  # fmt: skip

HOLIDAY_CALENDAR = Table(
    name="holiday_calendar",
    grain="one row per day on which the working week of state offices differs from Monday to Friday",
    key=("day",),
    description=(
        "Official days off (holidays, compensatory days, swapped days) and the Saturdays worked instead, "
        "2019–2026, for counting working days (queries/models/working_days.sql)."
    ),
    reference_file="calendar/holidays.csv",
    columns=(
        C("day", "date", "The date", required=True),
        C("kind", "code", "holiday, compensatory (nghỉ bù), swapped_off (nghỉ hoán đổi) or swapped_work (làm bù, a Saturday)", codes="calendar_day", required=True),
        C("name_vi", "text", "What the day is, in Vietnamese", required=True),
        C("name_en", "text", "What the day is, in English"),
        C("source", "text", "Law or notice the day comes from (data/reference/calendar/SOURCE.md)", required=True),
    ),
)  # fmt: skip

SURVEY_RESPONSES = Table(
    name="survey_responses",
    kind="survey",
    grain="one row per respondent × question",
    key=("response_id", "question_code"),
    upsert=True,
    unit_date=("year", "year"),
    description="Survey microdata (SIPAS-style satisfaction surveys); answers on a 1–5 scale or a code.",
    columns=(
        C("response_id", "text", "Respondent (questionnaire) id, never a person's name", "Mã phiếu", "Số phiếu", required=True),
        C("year", "integer", "Survey year", "Năm", required=True),
        C("unit_code", "unit_code", "Unit the respondent assessed", "Mã đơn vị", "Đơn vị", required=True),
        UNIT_NAME(),
        C("question_code", "text", "Question code of the instrument", "Mã câu hỏi", "Câu hỏi", required=True),
        C("answer", "text", "Answer: 1–5 on the rating scale, or a code", "Trả lời", "Đáp án", "Câu trả lời"),
        C("weight", "number", "Sampling weight (1 when unweighted)", "Trọng số", "Quyền số"),
    ),
)  # fmt: skip

SURVEY_QUESTIONS = Table(
    name="survey_questions",
    grain="one row per instrument × question",
    key=("instrument", "question_code"),
    description="Question map of each survey instrument: which element a question measures.",
    reference_file="sipas/questions.csv",
    columns=(
        C("instrument", "text", "Instrument version, e.g. SIPAS-2017, SIPAS-2022", required=True),
        C("valid_from_year", "integer", "First survey year using this instrument", required=True),
        C("valid_to_year", "integer", "Last survey year using it (empty while current)"),
        C("question_code", "text", "Question code", required=True),
        C("element", "text", "Element code (tiep_can, thu_tuc, cong_chuc, ket_qua, pakn)", required=True),
        C("element_name_vi", "text", "Element name in Vietnamese"),
        C("element_name_en", "text", "Element name in English"),
        C("kind", "code", "assessment, satisfaction or expectation", required=True, codes="survey_kind"),
        C("text_vi", "text", "Question text in Vietnamese"),
        C("text_en", "text", "Question text in English"),
    ),
)  # fmt: skip

PAR_SCORES = Table(
    name="par_scores",
    kind="par",
    grain="one row per unit × year × criterion",
    key=("year", "unit_code", "criterion_code"),
    upsert=True,
    unit_date=("year", "year"),
    description="PAR Index (Chỉ số CCHC) scores per criterion: self-assessed, appraised and survey points.",
    columns=(
        C("year", "integer", "Assessment year", "Năm", required=True),
        C("unit_code", "unit_code", "Unit assessed", "Mã đơn vị", "Đơn vị", required=True),
        UNIT_NAME(),
        C("framework", "text", "Framework code (see par_frameworks)", "Bộ tiêu chí", "Khung", required=True),
        C("area_code", "text", "Area (lĩnh vực) code", "Mã lĩnh vực", "Lĩnh vực", required=True),
        C("criterion_code", "text", "Criterion code, e.g. 3.2", "Mã tiêu chí", "Tiêu chí", required=True),
        C("max_points", "number", "Maximum points of the criterion", "Điểm tối đa", required=True),
        C("self_points", "number", "Self-assessed points", "Điểm tự đánh giá", "Tự đánh giá"),
        C("appraised_points", "number", "Points after appraisal", "Điểm thẩm định", "Thẩm định"),
        C("survey_points", "number", "Points from the sociological survey", "Điểm điều tra XHH", "Điều tra XHH"),
    ),
)  # fmt: skip

PAR_FRAMEWORKS = Table(
    name="par_frameworks",
    grain="one row per framework × area (criteria listed in par_scores)",
    key=("framework", "area_code"),
    description="PAR Index frameworks: areas and their maxima, per level and year of validity.",
    reference_file="par/frameworks.csv",
    columns=(
        C("framework", "text", "Framework code, e.g. QD2948-2017", required=True),
        C("level", "text", "Level it applies to (province, district, department, commune)", required=True),
        C("area_code", "text", "Area code", required=True),
        C("area_name_vi", "text", "Area name in Vietnamese", required=True),
        C("area_name_en", "text", "Area name in English"),
        C("criteria", "integer", "Number of criteria"),
        C("sub_criteria", "integer", "Number of sub-criteria"),
        C("max_points", "number", "Area maximum", required=True),
        C("survey_max_points", "number", "Of which from the survey"),
    ),
)  # fmt: skip

PAPI_SCORES = Table(
    name="papi_scores",
    kind="papi",
    grain="one row per province × year × measure",
    key=("year", "province_code", "measure_code"),
    upsert=True,
    unit_date=("year", "year"),
    description="PAPI (CECODES/UNDP) provincial scores: dimensions, sub-dimensions and the total.",
    columns=(
        C("year", "integer", "Survey year", "Năm", required=True),
        C("province_code", "unit_code", "2-digit GSO province code", "Mã tỉnh", "tinhid", "gso_province_code", required=True, unit_level="province"),
        C("measure_code", "text", "Measure code (slug of its English name)", "Mã chỉ số", required=True),
        C("measure_name_vi", "text", "Measure name in Vietnamese", "Chỉ số", "measure_vi"),
        C("measure_name_en", "text", "Measure name in English", "Measure", "measure_en"),
        C("parent_code", "text", "Dimension a sub-dimension belongs to", "Chỉ số cha", "parent_dimension_en"),
        C("level", "code", "dimension, sub_dimension or total", "Cấp chỉ số", required=True, codes="papi_level"),
        C("score", "number", "Score (empty when not published)", "Điểm"),
        C("ci_low", "number", "Lower bound of the published 95 % interval", "Cận dưới"),
        C("ci_high", "number", "Upper bound of the published 95 % interval", "Cận trên"),
    ),
)  # fmt: skip

TARGETS = Table(
    name="targets",
    kind="targets",
    grain="one row per indicator × unit × year",
    key=("indicator", "unit_code", "year", "field_code"),
    upsert=True,
    description="Targets set in plans: indicator, comparator and value, per unit (or `all`) and year.",
    columns=(
        C("indicator", "text", "Indicator code, e.g. on_time_rate, sipas_overall, par_rank", "Chỉ tiêu", "Chỉ số", required=True),
        C("unit_code", "text", "Unit code, or `all` for every unit", "Mã đơn vị", "Đơn vị", required=True),
        C("field_code", "text", "Field the target is limited to, or `all`", "Lĩnh vực"),
        C("year", "integer", "Year", "Năm", required=True),
        C("comparator", "code", ">=, <= or =", "So sánh", required=True, codes="comparator"),
        C("value", "number", "Target value (rates as fractions: 0.85)", "Giá trị", "Mục tiêu", required=True),
        C("source", "text", "Plan or decision that sets it", "Nguồn", "Căn cứ"),
    ),
)  # fmt: skip

PUBLISHED_766 = Table(
    name="published_766_scores",
    kind="published_766",
    grain="one row per unit × period × snapshot date (as_of) of the national public service portal's Decision 766 scores",
    key=("period_type", "period_start", "unit_code", "as_of"),
    upsert=True,
    derived=("period_type", "period_start", "unit_code", "level", "province_code", "listing"),
    description=(
        "Decision 766 scores as the national public service portal (dichvucong.gov.vn) publishes them: the "
        "total and the six groups per province, department and commune. Read from the portal's JSON "
        "(service-results, or archived lists of one province's units) or from a table typed from the "
        "portal. Units are matched by name, within their province, to the units valid on `as_of` "
        "(etl/unit_names.py); the portal's own code is kept beside the NSO code. Later snapshots of a "
        "running period are kept beside earlier ones."
    ),
    columns=(
        C("year", "integer", "Year of the scored period", "Năm", required=True),
        C("period_label", "text", "Period as published: Năm 2026, Quý 3/2026, Tháng 9/2026 (empty: the year)", "Kỳ", "Kỳ đánh giá", "periodLabel"),
        C("period_type", "code", "year, quarter or month (from period_label)", "Loại kỳ", "timeType", codes="period_type"),
        C("period_start", "date", "First day of the period (from year and period_label)", "Từ ngày"),
        C("as_of", "date", "Date the scores were read from the portal (a running period changes week by week)", "Ngày cập nhật", "Ngày lấy dữ liệu", "Tính đến ngày", "Ngày", required=True),
        C("unit_code", "text", "NSO code of the unit (province, commune) or department code `<province>.<short>`, matched from the name"),
        C("level", "code", "province, department or commune, from the unit matched", codes="unit_level"),
        C("province_code", "text", "NSO code of the unit's province"),
        C("portal_code", "text", "The portal's own code (H21, H21.17, H21.100), not an NSO code", "Mã trên Cổng", "Mã Cổng DVCQG", "departmentCode"),
        C("unit_name_published", "text", "Unit name as published (UBND xã Vân Canh)", "Tên đơn vị", "Đơn vị", "departmentName", required=True),
        C("province_name_published", "text", "Province as published, for a unit below the province (UBND tỉnh Gia Lai)", "Tỉnh", "Tỉnh, thành phố", "Tỉnh/thành phố"),
        C("listing", "code", "Which published list the row comes from: the 34 provinces, one province's units, or a province's own score shown above its units", codes="portal_listing"),
        C("total_score", "number", "Total score (of 100)", "Tổng điểm", "Điểm", "totalScore", required=True),
        C("ckmb", "number", "Công khai, minh bạch (of 18)", "CKMB", "Công khai, minh bạch"),
        C("tdgq", "number", "Tiến độ giải quyết (of 20)", "TĐGQ", "Tiến độ giải quyết"),
        C("clgq", "number", "Dịch vụ công trực tuyến (of 12; keyed CLGQ or ONLINE)", "CLGQ", "ONLINE", "Dịch vụ công trực tuyến", "DVCTT"),
        C("tttt", "number", "Thanh toán trực tuyến (of 10)", "TTTT", "Thanh toán trực tuyến"),
        C("mdsh", "number", "Số hóa hồ sơ (of 22)", "MĐSH", "Số hóa hồ sơ", "Mức độ số hóa"),
        C("mdhl", "number", "Mức độ hài lòng (of 18)", "MĐHL", "Mức độ hài lòng"),
        C("published_rank", "integer", "Rank as the portal printed it in that list (communes: among the province's communes)", "Xếp hạng", "Thứ hạng", "groupRank"),
        C("score_delta", "number", "Change against the previous period, as published", "Tăng/giảm", "scoreDelta"),
        C("source", "text", "File or address the scores were read from", "Nguồn"),
    ),
)  # fmt: skip

PCI_SCORES = Table(
    name="pci_scores",
    kind="pci",
    grain="one row per province × year × PCI measure (the weighted index or a sub-index)",
    key=("year", "province_code", "measure_code"),
    upsert=True,
    derived=("province_code",),
    description=(
        "The Provincial Competitiveness Index (PCI, VCCI) as published in its yearly workbooks: the weighted "
        "index with its published rank, and each sub-index. Provinces are matched by name to the units "
        "valid in the year (etl/unit_names.py)."
    ),
    columns=(
        C("year", "integer", "PCI year", "Năm", required=True),
        C("province_code", "text", "NSO code of the province valid in the year, matched from the name"),
        C("province_name_published", "text", "Province as the workbook spells it (TP.HCM, TT-Huế, BRVT)", "Tỉnh", "Province", required=True),
        C("measure_code", "text", "pci (the weighted index) or the sub-index (entry_costs, land_access, ...)", "Mã chỉ số", required=True),
        C("measure_name_vi", "text", "Measure name in Vietnamese, as in the workbook when it has one"),
        C("measure_name_en", "text", "Measure name in English"),
        C("level", "code", "total or sub_index", "Cấp chỉ số", required=True, codes="pci_level"),
        C("score", "number", "Score as published (sub-indices 0–10, the index 0–100); empty when not published", "Điểm"),
        C("published_rank", "integer", "Rank as published (the weighted index)", "Xếp hạng", "Rank"),
        C("source", "text", "Workbook and sheet the value was read from", "Nguồn"),
    ),
)  # fmt: skip

PUBLISHED_INDICES = Table(
    name="published_indices",
    kind="published_index",
    grain="one row per index × year × province (or the national figure) × measure",
    key=("index_code", "year", "geography", "province_code", "measure_code"),
    upsert=True,
    derived=("province_code", "geography", "measure_code", "level"),
    description=(
        "Published results of the yearly indices (PAR Index, SIPAS, PAPI, PCI) typed from press releases and "
        "reports (template: docs/templates/chi-so-cong-bo.csv). The province is given by name or code and "
        "matched to the units valid in the year; national rows (cả nước, trung bình 63 tỉnh) are the "
        "national figure. PAR Index and SIPAS values are percentages (92,18 or 92,18 %), PAPI and PCI points."
    ),
    columns=(
        C("index_code", "code", "PAR, SIPAS, PAPI or PCI", "Chỉ số", "Bộ chỉ số", "Index", required=True, codes="published_index"),
        C("year", "integer", "Year assessed (not the year of publication)", "Năm", "Year", required=True),
        C("province_published", "text", "Province as typed (name or code), or the national label", "Tỉnh/thành phố", "Tỉnh", "Địa phương", "Province", required=True),
        C("province_code", "text", "NSO code of the province valid in the year (empty for the national figure)"),
        C("geography", "code", "province or national", codes="geography"),
        C("measure_name", "text", "What the value measures, as typed: the index itself (Tổng, Chỉ số chung) or an area, element or dimension", "Nội dung", "Lĩnh vực, yếu tố", "Chỉ tiêu", "Measure", required=True),
        C("measure_code", "text", "total, or the slug of the measure name (cai_cach_thu_tuc_hanh_chinh)"),
        C("level", "code", "total or component", codes="published_level"),
        C("value", "number", "Value as published, in the index's unit (empty when not published)", "Giá trị", "Kết quả", "Điểm", "Value"),
        C("rank", "integer", "Rank as published (empty when not published)", "Xếp hạng", "Thứ hạng", "Rank"),
        C("source", "text", "Where the figure was published (press release, report, address)", "Nguồn", "Source", required=True),
    ),
)  # fmt: skip

SCORING_766 = Table(
    name="scoring_766",
    grain="one row per Decision 766 metric",
    key=("metric_code",),
    description="Decision 766/QĐ-TTg scoring table: points = max_points × min(1, rate / full_marks_at).",
    reference_file="766/scoring.csv",
    columns=(
        C("group_code", "text", "Group code (CKMB, TDGQ, DVCTT, TTTT, MDSH, MDHL)", required=True),
        C("group_name_vi", "text", "Group name in Vietnamese", required=True),
        C("group_name_en", "text", "Group name in English"),
        C("group_max", "number", "Group maximum points", required=True),
        C("metric_code", "text", "Metric code", required=True),
        C("metric_name_vi", "text", "Metric name in Vietnamese", required=True),
        C("max_points", "number", "Metric maximum points", required=True),
        C("full_marks_at", "number", "Rate at which the metric earns full marks", required=True),
        C("zero_denominator_points", "number", "Points when the denominator is 0 (empty: no data)"),
        C("scope", "text", "Level the metric is measured at (province, all, commune)", required=True),
    ),
)  # fmt: skip

METRIC_TERMS_766 = Table(
    name="metric_terms_766",
    grain="one row per Decision 766 metric",
    key=("metric_code",),
    description="What each 766 metric's numerator and denominator count when split by procedure (the drill-down).",
    reference_file="766/metric_terms.csv",
    columns=(
        C("metric_code", "text", "Metric code (scoring_766)", required=True),
        C("position", "integer", "Place of the metric in the scoring table", required=True),
        C("counted_on", "text", "dossiers, catalogue, fee_procedures, fee_coverage; empty: not split by procedure"),
        C("denominator", "text", "What the denominator counts (a term of queries/procedure_cost_766.sql)"),
        C("numerator", "text", "What the numerator counts (a term of queries/procedure_cost_766.sql)"),
    ),
)  # fmt: skip

BANDS_766 = Table(
    name="bands_766",
    grain="one row per band",
    key=("band_code",),
    description="Bands of the Decision 766 total score.",
    reference_file="766/bands.csv",
    columns=(
        C("band_code", "text", "Band code", required=True),
        C("band_vi", "text", "Band name in Vietnamese", required=True),
        C("band_en", "text", "Band name in English", required=True),
        C("min_points", "number", "Lowest total in the band", required=True),
        C("max_points_exclusive", "number", "Total from which the next band starts (empty: none)"),
        C("verified", "text", "yes when the band is published, no when it is a common convention"),
    ),
)  # fmt: skip

PAR_BANDS = Table(
    name="par_bands",
    grain="one row per year range × band",
    key=("year_from", "band_code"),
    description="Groups the Ministry of Home Affairs places provinces in by their PAR Index (2024: A from 90 %, B from 80 % to under 90 %).",
    reference_file="par/bands.csv",
    columns=(
        C("year_from", "integer", "First assessment year the bands apply to", required=True),
        C("year_to", "integer", "Last assessment year (empty while current)"),
        C("band_code", "text", "Band code (A, B)", required=True),
        C("band_vi", "text", "Band name in Vietnamese", required=True),
        C("band_en", "text", "Band name in English", required=True),
        C("min_pct", "number", "Lowest PAR Index (%) in the band", required=True),
        C("max_pct_exclusive", "number", "PAR Index (%) from which the next band starts (empty: none)"),
        C("source", "text", "Where the bands are published", required=True),
    ),
)  # fmt: skip

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        UNITS, UNIT_CROSSWALK, PROCEDURES, DOSSIERS, FEEDBACK, SURVEY_RESPONSES, SURVEY_QUESTIONS,
        PAR_SCORES, PAR_FRAMEWORKS, PAPI_SCORES, TARGETS, SCORING_766, METRIC_TERMS_766, BANDS_766, PUBLISHED_766, PCI_SCORES,
        PUBLISHED_INDICES, PAR_BANDS, QUEUE_TICKETS, ONE_STOP_OFFICES, PLAN_ITEMS, HOLIDAY_CALENDAR,
    )
}  # fmt: skip

KINDS: dict[str, Table] = {t.kind: t for t in TABLES.values() if t.kind}

# Quarantine reason codes (REASONS) and fold_text live in queries/vocabulary.py, which the dashboard reads too.

# Tables the ETL writes besides the contract tables.
QUARANTINE_COLUMNS = ("load_id", "source_file", "row_number", "column_name", "raw_value", "reason", "detail")
LOAD_LOG_COLUMNS = (
    "load_id", "kind", "source_file", "sha256", "rows_read", "rows_accepted", "rows_quarantined",
    "started_at", "finished_at", "status", "message", "is_demo",
)  # fmt: skip
