"""map_headers: export headers -> canonical columns; personal data dropped; the contract has no clashes."""

from __future__ import annotations

import unicodedata

import pytest

from etl import contract
from etl.contract import DOSSIERS, FEEDBACK, UNITS
from etl.headers import HeaderMap, header_keys, key_collisions, known_header_keys, map_headers, pii_keys
from etl.read import ROW, read_file


@pytest.mark.parametrize(
    "header",
    [
        "Ngày tiếp nhận",
        "Ngay tiep nhan",
        "NGÀY TIẾP NHẬN ",
        "NgayTiepNhan",
        "ngay_tiep_nhan",
        "NgàyTiếpNhận",
        "received_at",
        "Received At",
        unicodedata.normalize("NFD", "Ngày tiếp nhận"),
        "Ngày\u00a0tiếp  nhận",
        "Ngày tiếp nhận (*)",
    ],
)
def test_forms_of_received_at(header):
    assert map_headers([header], DOSSIERS).rename == {header: "received_at"}


def test_a_whole_export():
    headers = [
        "STT",
        "Mã hồ sơ",
        "ChuHoSo",
        "Số CCCD",
        "MaTTHC",
        "Mã đơn vị",
        "Ngày tiếp nhận",
        "NgayTiepNhan",
        "Trạng thái",
        "Kênh thực hiện",
        "Địa chỉ",
        "Ghi chú",
        "Ngày tiếp nhận__2",
    ]
    assert map_headers(headers, DOSSIERS) == HeaderMap(
        rename={
            "Mã hồ sơ": "dossier_id",
            "MaTTHC": "procedure_code",
            "Mã đơn vị": "unit_code",
            "Ngày tiếp nhận": "received_at",
            "Trạng thái": "status",
            "Kênh thực hiện": "channel",
        },
        pii_dropped=["ChuHoSo", "Số CCCD", "Địa chỉ"],
        unknown=["STT", "Ghi chú"],
        duplicates=["NgayTiepNhan", "Ngày tiếp nhận__2"],
        missing_required=[],
    )


def test_missing_required_in_contract_order():
    result = map_headers(["Trạng thái", "Ghi chú"], DOSSIERS)
    assert result.rename == {"Trạng thái": "status"}
    assert result.unknown == ["Ghi chú"]
    assert result.missing_required == ["dossier_id", "procedure_code", "unit_code", "received_at", "channel"]


def test_each_table_maps_its_own_aliases():
    # "Hạn xử lý" names a petition's due date; dossier exports do not use it.
    assert map_headers(["Hạn xử lý"], FEEDBACK).rename == {"Hạn xử lý": "due_at"}
    assert map_headers(["Hạn xử lý"], DOSSIERS).unknown == ["Hạn xử lý"]
    assert map_headers(["Mã"], UNITS).rename == {"Mã": "unit_code"}


@pytest.mark.parametrize("header", ["SoDienThoai", "Số điện thoại", "SỐ ĐIỆN THOẠI", "so_dien_thoai", "Email"])
def test_personal_data_headers_are_dropped(header):
    result = map_headers([header], DOSSIERS)
    assert result.pii_dropped == [header]
    assert result.rename == {}


def test_header_keys():
    assert header_keys("Ngày Tiếp Nhận (*)") == ("ngay tiep nhan", "ngaytiepnhan")
    assert header_keys("Mã hồ sơ__3") == ("ma ho so", "mahoso")


def test_known_header_keys_for_header_row_detection():
    keys = known_header_keys(DOSSIERS)
    assert {"ngay tiep nhan", "ngaytiepnhan", "received at", "receivedat", "chu ho so", "chuhoso"} <= keys
    assert "ghi chu" not in keys


@pytest.mark.parametrize("table", contract.TABLES.values(), ids=lambda t: t.name)
def test_no_header_key_names_two_columns_of_a_table(table):
    assert key_collisions(table) == []


@pytest.mark.parametrize("table", contract.TABLES.values(), ids=lambda t: t.name)
def test_no_column_alias_is_a_personal_data_header(table):
    own = {key for column in table.columns for form in (column.name, *column.aliases) for key in header_keys(form)}
    assert own & pii_keys() == set()


def test_key_collisions_finds_a_clash():
    clash = contract.Table(
        name="t",
        grain="",
        key=("a",),
        description="",
        columns=(
            contract.Column("a", "text", "", aliases=("Ngày nhận",)),
            contract.Column("b", "text", "", aliases=("NgayNhan",)),
        ),
    )
    assert key_collisions(clash) == [("ngaynhan", "a", "b")]


def test_decomposed_headers_from_a_file_map_like_composed_ones(tmp_path):
    """NFD headers (macOS) under two title rows: read, then map."""
    nfd = [unicodedata.normalize("NFD", h) for h in ("Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Họ tên")]
    text = "UBND HUYỆN X\nBÁO CÁO\n" + ";".join(nfd) + "\nH1;05/01/2023;Hoàn thành;Nguyễn Văn A\n"
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode())
    raw = read_file(path, known_headers=known_header_keys(DOSSIERS))
    assert raw[ROW].to_list() == [4]
    result = map_headers([c for c in raw.columns if c != ROW], DOSSIERS)
    assert result.rename == {"Mã hồ sơ": "dossier_id", "Ngày tiếp nhận": "received_at", "Trạng thái": "status"}
    assert result.pii_dropped == ["Họ tên"]
