"""The data contract: the tables and key columns every deployment relies on (docs/data-contract.md), and
that document rendered from etl/contract.py."""

from __future__ import annotations

from pathlib import Path

from etl import contract
from etl.contract_doc import render_contract

REPO = Path(__file__).resolve().parents[2]

# table -> key columns every deployment relies on (docs/data-contract.md).
DESIGN_TABLES = {
    "units": ["unit_code", "name", "level", "parent_code", "province_code", "valid_from", "valid_to"],
    "unit_crosswalk": ["old_code", "new_code", "weight", "effective"],
    "procedures": ["procedure_code", "name", "field_code", "field_name", "authority_level",
                   "full_online_eligible", "has_fee", "legal_days"],
    "dossiers": ["dossier_id", "procedure_code", "unit_code", "received_at", "due_at", "resolved_at",
                 "returned_at", "status", "channel", "online_level", "has_fee", "paid_online",
                 "dossier_digitised", "result_electronic", "data_reused", "applicant_type", "wait_minutes",
                 "rejected_reason"],
    "feedback": ["feedback_id", "unit_code", "topic", "received_at", "due_at", "resolved_at", "satisfied"],
    "survey_responses": ["response_id", "year", "unit_code", "question_code", "answer", "weight"],
    "survey_questions": ["instrument", "question_code", "element", "kind", "text_vi", "text_en"],
    "par_scores": ["year", "unit_code", "framework", "area_code", "criterion_code", "max_points",
                   "self_points", "appraised_points", "survey_points"],
    "par_frameworks": ["framework", "level", "area_code", "area_name_vi", "area_name_en", "max_points"],
    "papi_scores": ["year", "province_code", "measure_code", "level", "score", "ci_low", "ci_high"],
    "targets": ["indicator", "unit_code", "year", "comparator", "value", "source"],
}  # fmt: skip


def test_every_design_table_and_column_is_in_the_contract() -> None:
    for table, columns in DESIGN_TABLES.items():
        assert set(columns) <= set(contract.TABLES[table].names), table


def test_every_cli_kind_feeds_a_table() -> None:
    assert set(contract.KINDS) == {
        "units", "procedures", "dossiers", "feedback", "survey", "par", "papi", "targets", "published_766", "pci",
        "published_index", "queue_tickets", "one_stop_offices", "plan",
    }  # fmt: skip


def test_keys_and_code_columns_are_consistent() -> None:
    for table in contract.TABLES.values():
        for key in table.key:
            table.column(key)  # raises when a key names no column
        for column in table.columns:
            if column.codes:
                assert column.codes in contract.VOCABULARIES
            if column.empty_as is not None:
                assert column.empty_as in contract.VOCABULARIES[column.codes]


def test_design_vocabularies_accept_the_documented_forms() -> None:
    status = contract.vocabulary_lookup("status")
    assert status[contract.fold_text("ĐÃ GIẢI QUYẾT")] == "resolved"
    assert status[contract.fold_text("Cong dan rut ho so")] == "withdrawn"
    channel = contract.vocabulary_lookup("channel")
    assert [channel[c] for c in ("1", "2", "3", "bcci")] == ["direct", "online", "postal", "postal"]
    online = contract.vocabulary_lookup("online_level")
    assert (online["muc do 3"], online["muc do 4"], online[""]) == ("partial", "full", "none")


def test_fold_text_ignores_case_diacritics_invisible_characters_and_normal_form() -> None:
    nfd = "Nga\u0300y tie\u0302\u0301p nha\u0323\u0302n"  # "Ngày tiếp nhận" in NFD
    assert contract.fold_text(nfd) == contract.fold_text("NGÀY\u00a0TIẾP \u200bNHẬN ") == "ngay tiep nhan"


def test_data_contract_doc_is_current() -> None:
    doc = (REPO / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert doc == render_contract(), "docs/data-contract.md is stale: run `make docs`"


def test_data_contract_doc_lists_every_table_column_alias_and_code() -> None:
    doc = render_contract()
    for table in contract.TABLES.values():
        assert f"### `{table.name}`" in doc
        for column in table.columns:
            assert f"| `{column.name}` |" in doc
            for alias in column.aliases:
                assert f"`{alias}`" in doc
    for codes in contract.VOCABULARIES.values():
        for canonical in codes:
            assert f"| `{canonical}` |" in doc
