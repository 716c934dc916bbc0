"""Chỉ số / Index drill-down: from a unit's total down to what it is made of.

- Decision 766: total, band and rank → six groups → metrics → the procedures (or fields) that cost the
  most points on a chosen metric (procedure_cost_766).
- PAR Index: index, score and rank → areas → the criteria of a chosen area.
- SIPAS: the overall index with its 95 % interval and n → elements with intervals; estimates from fewer
  than 30 respondents read "không đủ mẫu"; the 2022 instrument change is noted.
- PAPI: the province's total and rank → dimensions → sub-dimensions, the best province alongside.
URL: ?index=766|par|sipas|papi&year=…&level=…&province=…&unit=…&metric=…&by=…&area=…&dimension=…
"""

import streamlit as st

from ui import data, filters, lookups, t, view_tabs
from ui import format as fmt
from ui.charts import drilldown
from ui.fetch import fetch
from ui.indicators import indicator

st.title(t("drilldown.title"))
st.caption(t("drilldown.intro"))

index = filters.select(
    "index",
    {code: t(f"drilldown.index_{code}") for code in drilldown.INDEXES},
    label=t("drilldown.index"),
    default="766",
)
code = drilldown.INDEX_INDICATOR[index]
ind = indicator(code)
year = filters.year(lookups.years(code))
if year is None:
    st.info(t("common.no_data_for_selection"))
    st.stop()
st.caption(ind.definition())


def home_province() -> str | None:
    """The province with the most dossiers in the year, else in the latest year with dossiers."""
    dossier_years = lookups.years("on_time_rate")
    return lookups.default_province(year) or (lookups.default_province(dossier_years[0]) if dossier_years else None)


def place(default_level: str = "district") -> tuple[str, str | None]:
    """Level and province filters (no province at province level: provinces are compared nationally)."""
    level = filters.level(ind.levels, default=default_level if default_level in ind.levels else ind.levels[0])
    province = None
    if level != "province":
        province = filters.province(lookups.provinces(), default=home_province())
    return level, province


def meta(title: str, where: dict, query: str, notes: tuple[str, ...] = ()) -> dict:
    """Download metadata: the index's source and methodology, this view's title, filters and query."""
    return {**data.meta(code, filters=where, title=title, notes=notes), "query": query}


def choose_unit(options: dict[str, str]) -> str:
    unit = filters.unit(options)
    if unit is None:
        st.info(t("common.no_units"))
        st.stop()
    return unit


if index == "766":
    level, province = place()
    metrics = fetch("service_index_766", year=year, period="year", level=level, province_code=province)
    totals = fetch("service_index_766_total", year=year, period="year", level=level, province_code=province)
    unit = choose_unit(drilldown.unit_options(metrics))
    name = drilldown.unit_options(metrics)[unit]
    where = data.describe_filters(year=year, level=level, province=province, **{t("filter.unit"): name})
    drilldown.render_headline(drilldown.headline_766(totals, unit))

    st.subheader(t("drilldown.groups_title", unit=name, year=year))
    view_tabs(
        drilldown.groups_figure(metrics, unit),
        drilldown.groups_figure(metrics, unit, return_df=True),
        filename=f"766-nhom-{unit}-{year}",
        meta=meta(t("drilldown.groups_title", unit=name, year=year), where, "service_index_766"),
    )
    st.subheader(t("drilldown.metrics_title"))
    view_tabs(
        drilldown.metrics_figure(metrics, unit),
        drilldown.metrics_figure(metrics, unit, return_df=True),
        filename=f"766-chi-tieu-{unit}-{year}",
        meta=meta(f"{t('drilldown.metrics_title')} — {name}, {year}", where, "service_index_766"),
    )

    st.subheader(t("drilldown.cost_title"))
    st.caption(t("drilldown.cost_help"))
    left, right = st.columns([3, 1])
    metric = filters.select(
        "metric",
        drilldown.metric_choices(metrics, unit),
        label=t("drilldown.metric"),
        default=drilldown.costliest_metric(metrics, unit),
        container=left,
    )
    by_options = {"procedure": t("drilldown.by_procedure"), "field": t("drilldown.by_field")}
    by = filters.select(
        "by",
        by_options,
        label=t("drilldown.cost_by"),
        container=right,
        widget="segmented",
    )
    if metric is None:
        st.info(t("drilldown.cost_none"))
        st.stop()
    cost = fetch("procedure_cost_766", year=year, unit_code=unit, metric_code=metric, by=by)
    if cost.is_empty():
        st.info(t("drilldown.cost_none"))
        st.stop()
    metric_name = drilldown.metric_name(metric)
    view_tabs(
        drilldown.cost_figure(cost, by=by),
        drilldown.cost_figure(cost, by=by, return_df=True),
        filename=f"766-mat-diem-{metric}-{by}-{unit}-{year}",
        meta=meta(
            t("drilldown.cost_chart_title", metric=metric_name, unit=name, year=year),
            {**where, t("drilldown.metric"): metric_name, t("drilldown.cost_by"): by_options[by]},
            "procedure_cost_766",
            (t("drilldown.cost_help"),),
        ),
    )

elif index == "par":
    level, province = place()
    units = data.indicator_frame(code, year=year, level=level, province_code=province)
    unit = choose_unit(fmt.unit_options(units))
    name = fmt.unit_options(units)[unit]
    where = data.describe_filters(year=year, level=level, province=province, **{t("filter.unit"): name})
    par_rows = fetch("par_index", year=year, level=level)
    drilldown.render_headline(drilldown.headline_par(par_rows, unit))

    st.subheader(t("drilldown.par_areas_title", unit=name, year=year))
    view_tabs(
        drilldown.par_areas_figure(par_rows, unit),
        drilldown.par_areas_figure(par_rows, unit, return_df=True),
        filename=f"chi-so-cchc-linh-vuc-{unit}-{year}",
        meta=meta(t("drilldown.par_areas_title", unit=name, year=year), where, "par_index"),
    )
    st.subheader(t("drilldown.par_criteria_title"))
    area = filters.select(
        "area",
        drilldown.par_area_choices(par_rows, unit),
        label=t("drilldown.area"),
        default=drilldown.weakest_area(par_rows, unit),
        container=st,
    )
    criteria = fetch("par_criteria", year=year, unit_code=unit, area_code=area)
    if criteria.is_empty():
        st.info(t("common.no_data_for_selection"))
        st.stop()
    view_tabs(
        drilldown.par_criteria_figure(criteria),
        drilldown.par_criteria_figure(criteria, return_df=True),
        filename=f"chi-so-cchc-tieu-chi-{unit}-{area}-{year}",
        meta=meta(
            f"{t('drilldown.par_criteria_title')} — {name}, {year}",
            {**where, t("drilldown.area"): drilldown.par_area_choices(par_rows, unit).get(area, area)},
            "par_criteria",
        ),
    )

elif index == "sipas":
    level, province = place()
    units = data.indicator_frame(code, year=year, level=level, province_code=province)
    unit = choose_unit(fmt.unit_options(units))
    name = fmt.unit_options(units)[unit]
    where = data.describe_filters(year=year, level=level, province=province, **{t("filter.unit"): name})
    sipas_rows = fetch("sipas", year=year, level=level)
    if (since := drilldown.break_year(ind.breaks, year)) is not None:
        st.warning(t("drilldown.sipas_break", year=since), icon=":material/info:")
    drilldown.render_headline(drilldown.headline_sipas(sipas_rows, unit))
    st.subheader(t("drilldown.sipas_title", unit=name, year=year))
    view_tabs(
        drilldown.sipas_figure(sipas_rows, unit),
        drilldown.sipas_figure(sipas_rows, unit, return_df=True),
        filename=f"sipas-yeu-to-{unit}-{year}",
        meta=meta(t("drilldown.sipas_title", unit=name, year=year), where, "sipas", (t("drilldown.too_few_long"),)),
    )
    st.caption(t("drilldown.too_few_long"))

else:  # PAPI: provinces only
    provinces = lookups.provinces()
    province = filters.province(provinces, default=home_province())
    profile = fetch("papi_profile", year=year, province_code=province)
    if profile.is_empty() or profile.get_column("score").drop_nulls().is_empty():
        st.info(t("drilldown.papi_missing_year"))
        st.stop()
    name = provinces.get(province, province)
    where = data.describe_filters(year=year, province=province)
    if (since := drilldown.break_year(ind.breaks, year)) is not None:
        st.warning(t("drilldown.papi_break", year=since), icon=":material/info:")
    drilldown.render_headline(drilldown.headline_papi(profile))
    st.subheader(t("drilldown.papi_dimensions_title", province=name, year=year))
    view_tabs(
        drilldown.papi_figure(profile, "dimension"),
        drilldown.papi_figure(profile, "dimension", return_df=True),
        filename=f"papi-chi-so-noi-dung-{province}-{year}",
        meta=meta(t("drilldown.papi_dimensions_title", province=name, year=year), where, "papi_profile"),
    )
    dimensions = drilldown.papi_dimension_choices(profile)
    if dimensions:
        st.subheader(t("drilldown.papi_sub_title"))
        dimension = filters.select("dimension", dimensions, label=t("drilldown.dimension"), container=st)
        view_tabs(
            drilldown.papi_figure(profile, "sub_dimension", dimension),
            drilldown.papi_figure(profile, "sub_dimension", dimension, return_df=True),
            filename=f"papi-chi-so-thanh-phan-{dimension}-{province}-{year}",
            meta=meta(
                f"{t('drilldown.papi_sub_title')} — {dimensions[dimension]}, {name}, {year}",
                {**where, t("drilldown.dimension"): dimensions[dimension]},
                "papi_profile",
            ),
        )
