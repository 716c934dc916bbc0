"""Demo files of the service measures the provinces report, beside the dossiers (etl/demo/dossiers.py):

- queue_tickets: demo-queue-tickets-01-<year>.csv, the ticket machines of Hà Nội's district one-stop
  offices, 2023–2024, waits around the city's 30-minute target (the median of the year over the city is
  within a minute or two of 30; 2024 a little shorter than 2023); about 3 % of tickets never called.
  Ticket counts are scaled (TICKETS_PER_UNIT_YEAR at scale 1).
- one_stop_offices: demo-one-stop-offices-06.csv, Bắc Kạn's list as of 31/12/2024 (before its merger into
  Thái Nguyên): its provincial public administration service centre and the one-stop office of each of
  its 8 districts and 108 communes, read from data/reference/units/units.csv. Not scaled.
- plan: demo-plan-79-2023.xlsx and demo-plan-79-2024.xlsx, TP.HCM's CCHC plans: 2023, 88 tasks, all done;
  2024, 21 targets and 98 tasks in 8 groups, reported on 16/12/2024 (the demo's last month): PLAN_2024
  gives how many are done, done late, on schedule and late. Not scaled.

Days are working days of the official calendar (data/reference/calendar/holidays.csv), the one the
queries count with. Every draw comes from its own `numpy.random.default_rng([seed, ...])` stream, so the
files depend only on the seed and the scale, and the dossier files do not change.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from etl.demo.calibration import DEFAULT_SCALE, DEFAULT_SEED, HANOI, HCMC, scaled
from etl.demo.periods import DEMO_TODAY
from queries.paths import REFERENCE_DIR

CALENDAR_FILE = REFERENCE_DIR / "calendar" / "holidays.csv"
UNITS_FILE = REFERENCE_DIR / "units" / "units.csv"

TICKET_YEARS = (2023, 2024)
TICKETS_PER_UNIT_YEAR = 15_000  # a district office's visitors a year at scale 1
WAIT_TARGET = 30.0  # Hà Nội's target: minutes a visit
WAIT_MEDIAN = {2023: 32.0, 2024: 29.0}  # the city's median wait of the year, around the target
WAIT_SPREAD = 0.45  # log-normal sigma of a visit's wait: p90 ≈ 1.8 × median
NOT_CALLED = 0.03  # tickets never called (the visitor left)
SERVICES = ("Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Kinh doanh", "Lao động - Thương binh và Xã hội")

BAC_KAN = "06"
OFFICES_AS_OF = dt.date(2024, 12, 31)
OFFICES_SOURCE = "Báo cáo công tác CCHC năm 2024 của UBND tỉnh Bắc Kạn (dữ liệu mẫu)"

PLAN_GROUPS = (
    "Công tác chỉ đạo, điều hành CCHC",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
    "Công tác thông tin, tuyên truyền CCHC",
)
LEAD_UNITS = (
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Văn phòng UBND Thành phố",
    "Sở Tài chính",
    "Sở Thông tin và Truyền thông",
    "Sở Kế hoạch và Đầu tư",
    "Sở Công Thương",
)
PLAN_2023 = {"targets": 0, "tasks": 88}  # every item done by its deadline
PLAN_2024_REPORTED_ON = dt.date(2024, 12, 16)
# 2024, as reported on 16/12/2024: items per state (deadline passed or not; done on time, done late)
PLAN_2024 = {
    "target": {"done": 12, "done_late": 2, "on_schedule": 6, "late": 1},  # 21 targets
    "task": {"done": 70, "done_late": 8, "on_schedule": 14, "late": 6},  # 98 tasks
}
TARGET_INDICATORS = (("on_time_rate", 0.98), ("online_rate", 0.8), ("online_payment_rate", 0.8))
PLAN_HEADER = (
    "Mã tỉnh", "Năm", "Ngày báo cáo", "STT", "Loại", "Nhóm nhiệm vụ", "Nội dung", "Cơ quan chủ trì",
    "Thời hạn hoàn thành", "Tình trạng", "Ngày hoàn thành", "Minh chứng", "Mã chỉ số", "Giá trị mục tiêu",
)  # fmt: skip


def working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """The working days from first to last: Monday to Friday less the calendar's days off, plus the
    Saturdays it lists as worked."""
    calendar = pl.read_csv(CALENDAR_FILE, schema_overrides={"day": pl.Date})
    off = set(calendar.filter(pl.col("kind") != "swapped_work").get_column("day").to_list())
    worked = set(calendar.filter(pl.col("kind") == "swapped_work").get_column("day").to_list())
    days = (first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    return [d for d in days if d in worked or (d.weekday() < 5 and d not in off)]


def _units(province: str, day: dt.date) -> pl.DataFrame:
    units = pl.read_csv(UNITS_FILE, infer_schema=False)
    iso = day.isoformat()
    return units.filter(
        (pl.col("province_code") == province)
        & (pl.col("valid_from") <= iso)
        & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= iso))
    ).sort("unit_code")


def queue_tickets_frame(year: int, scale: float, seed: int) -> pl.DataFrame:
    """Hà Nội's district offices' tickets of a year, as the machines export them (Vietnamese headers,
    dd/mm/yyyy hh:mm:ss)."""
    districts = _units(HANOI, dt.date(year, 12, 31)).filter(pl.col("level") == "district")
    days = np.array(working_days(dt.date(year, 1, 1), dt.date(year, 12, 31)), dtype="datetime64[D]")
    per_unit = scaled(TICKETS_PER_UNIT_YEAR, scale)
    frames = []
    for u_i, code in enumerate(districts.get_column("unit_code").to_list()):
        rng = np.random.default_rng([seed, 31, u_i, year])
        median = WAIT_MEDIAN[year] * rng.uniform(0.85, 1.15)  # offices differ around the city's median
        day = np.sort(rng.choice(days, size=per_unit))
        issued = day.astype("datetime64[s]") + (7.5 * 3600 + rng.integers(0, 9 * 3600, size=per_unit)).astype(
            "timedelta64[s]"
        )
        wait = np.round(rng.lognormal(np.log(median), WAIT_SPREAD, size=per_unit) * 60).astype("int64")
        called = issued + wait.astype("timedelta64[s]")
        never = rng.random(per_unit) < NOT_CALLED
        number = np.zeros(per_unit, dtype="int64")
        _, first, counts = np.unique(day, return_index=True, return_counts=True)
        for start, count in zip(first, counts, strict=True):  # numbers restart every day, in issue order
            order = np.argsort(issued[start : start + count], kind="stable")
            number[start + order] = np.arange(1, count + 1)
        frames.append(
            pl.DataFrame(
                {
                    "Số thứ tự": [f"A{n:03d}" for n in number],
                    "Mã đơn vị": code,
                    "Thời gian lấy số": pl.Series(issued.astype("datetime64[ms]")).dt.to_string("%d/%m/%Y %H:%M:%S"),
                    "Thời gian gọi số": pl.Series(called.astype("datetime64[ms]"))
                    .dt.to_string("%d/%m/%Y %H:%M:%S")
                    .zip_with(pl.Series(~never), pl.Series([None] * per_unit, dtype=pl.String)),
                    "Quầy": [f"Quầy {q}" for q in rng.integers(1, 6, size=per_unit)],
                    "Dịch vụ": [SERVICES[s] for s in rng.integers(0, len(SERVICES), size=per_unit)],
                }
            )
        )
    return pl.concat(frames)


def one_stop_offices_frame() -> pl.DataFrame:
    """Bắc Kạn's one-stop offices as of 31/12/2024: the province's service centre, then each district's
    and commune's office."""
    units = _units(BAC_KAN, OFFICES_AS_OF).filter(pl.col("level").is_in(["province", "district", "commune"]))
    order = {"province": 0, "district": 1, "commune": 2}
    units = units.with_columns(pl.col("level").replace_strict(order, return_dtype=pl.Int8).alias("order")).sort(
        "order", "unit_code"
    )
    names = [
        "Trung tâm Phục vụ hành chính công tỉnh Bắc Kạn" if level == "province" else f"Bộ phận Một cửa UBND {name}"
        for level, name in units.select("level", "name").iter_rows()
    ]
    return pl.DataFrame(
        {
            "Tính đến ngày": OFFICES_AS_OF.strftime("%d/%m/%Y"),
            "Mã đơn vị": units.get_column("unit_code"),
            "Tên đơn vị": units.get_column("name"),
            "Tên bộ phận một cửa": names,
            "Nguồn": OFFICES_SOURCE,
        }
    )


def _plan_rows(year: int, seed: int) -> list[list[object]]:
    """The rows of TP.HCM's plan of a year: [province, year, reported on, STT, type, group, description,
    lead unit, deadline, status, done on, evidence, indicator, target value]."""
    rng = np.random.default_rng([seed, 37, year])
    quarter_ends = [dt.date(year, 3, 31), dt.date(year, 6, 30), dt.date(year, 9, 30), dt.date(year, 12, 31)]
    if year == 2023:
        states = {"target": {}, "task": {"done": PLAN_2023["tasks"]}}
        reported_on = dt.date(2023, 12, 31)
    else:
        states = PLAN_2024
        reported_on = PLAN_2024_REPORTED_ON
    rows: list[list[object]] = []
    for item_type, counts in states.items():
        for state, count in counts.items():
            for _ in range(count):
                i = len(rows)
                group = PLAN_GROUPS[i % len(PLAN_GROUPS)]
                lead = LEAD_UNITS[int(rng.integers(0, len(LEAD_UNITS)))]
                if state == "on_schedule":  # due after the report
                    deadline = dt.date(year, 12, 31)
                else:  # due by the report: a quarter's end before it
                    deadline = quarter_ends[int(rng.integers(0, 3 if reported_on < quarter_ends[3] else 4))]
                done_on, status, evidence = None, "Đang thực hiện", None
                if state == "done":
                    done_on = deadline - dt.timedelta(days=int(rng.integers(0, 40)))
                elif state == "done_late":
                    done_on = min(deadline + dt.timedelta(days=int(rng.integers(5, 60))), reported_on)
                if done_on is not None:
                    status, evidence = "Hoàn thành", f"Báo cáo số {100 + i}/BC-UBND"
                code = f"MT-{i + 1:02d}" if item_type == "target" else f"NV-{i + 1:03d}"
                indicator, value = (None, None)
                if item_type == "target" and i < len(TARGET_INDICATORS):
                    indicator, value = TARGET_INDICATORS[i]
                kind = "Mục tiêu" if item_type == "target" else "Nhiệm vụ"
                text = f"{kind} {i + 1}: {group.lower()}"
                row = [HCMC, year, reported_on, code, kind, group, text, lead, deadline, status, done_on, evidence]
                rows.append([*row, indicator, value])
    return rows


def write_plan_xlsx(year: int, seed: int, path: Path) -> None:
    """TP.HCM's plan of a year as a department's workbook: a title row, the header, one row per item,
    dates as Excel dates."""
    book = xlsxwriter.Workbook(str(path))
    # a fixed creation time: the same seed gives the same bytes on any day
    book.set_properties({"created": dt.datetime.combine(DEMO_TODAY, dt.time(12)), "author": "demo"})
    sheet = book.add_worksheet(f"Kế hoạch CCHC {year}")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, [f"KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA UBND THÀNH PHỐ HỒ CHÍ MINH (dữ liệu mẫu)"])
    sheet.write_row(2, 0, PLAN_HEADER)
    for r, row in enumerate(_plan_rows(year, seed), start=3):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dates)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()


def generate(out_dir: Path, scale: float = DEFAULT_SCALE, seed: int = DEFAULT_SEED) -> dict[str, list[Path]]:
    """Write the files above into `out_dir`; return them per load kind, in load order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[Path]] = {"queue_tickets": [], "one_stop_offices": [], "plan": []}
    for year in TICKET_YEARS:
        path = out_dir / f"demo-queue-tickets-{HANOI}-{year}.csv"
        queue_tickets_frame(year, scale, seed).write_csv(path)
        files["queue_tickets"].append(path)
    path = out_dir / f"demo-one-stop-offices-{BAC_KAN}.csv"
    one_stop_offices_frame().write_csv(path)
    files["one_stop_offices"].append(path)
    for year in (2023, 2024):
        path = out_dir / f"demo-plan-{HCMC}-{year}.xlsx"
        write_plan_xlsx(year, seed, path)
        files["plan"].append(path)
    return files
