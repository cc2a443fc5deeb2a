"""Unit tests of the geography resolver in scripts/build_geography.py (small in-memory gazetteer).

Run: .venv/bin/python -m pytest tests/python/test_build_geography.py -q
"""

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_geography.py"
_spec = importlib.util.spec_from_file_location("build_geography", SCRIPT)
bg = importlib.util.module_from_spec(_spec)
sys.modules["build_geography"] = bg
_spec.loader.exec_module(bg)

# A tiny GB/T 2260 extract in cpca's layout (12-digit codes, name, lon, lat).
ROWS = [
    ("110000000000", "北京市", "116.40", "39.90"),
    ("110100000000", "市辖区", "", ""),
    ("110105000000", "朝阳区", "116.44", "39.92"),
    ("110108000000", "海淀区", "116.29", "39.95"),
    ("210000000000", "辽宁省", "123.43", "41.83"),
    ("211300000000", "朝阳市", "120.45", "41.57"),
    ("211321000000", "朝阳县", "120.40", "41.52"),
    ("220000000000", "吉林省", "125.32", "43.89"),
    ("220100000000", "长春市", "125.32", "43.81"),
    ("220104000000", "朝阳区", "125.28", "43.83"),
    ("220200000000", "吉林市", "126.55", "43.83"),
    ("370000000000", "山东省", "117.01", "36.67"),
    ("370100000000", "济南市", "117.00", "36.67"),
    ("370103000000", "市中区", "116.99", "36.65"),
    ("370200000000", "青岛市", "120.38", "36.06"),
    ("370202000000", "市南区", "120.39", "36.07"),
    ("410000000000", "河南省", "113.75", "34.76"),
    ("419000000000", "省直辖县级行政区划", "", ""),
    ("419001000000", "济源市", "112.60", "35.09"),
    ("440000000000", "广东省", "113.26", "23.13"),
    ("440300000000", "深圳市", "114.08", "22.54"),
    ("440301000000", "市辖区", "", ""),
    ("440305000000", "南山区", "113.93", "22.53"),
    ("440307000000", "龙岗区", "114.25", "22.72"),
    ("511100000000", "乐山市", "103.76", "29.58"),
    ("511102000000", "市中区", "103.75", "29.58"),
    ("520000000000", "贵州省", "106.70", "26.60"),
    ("522300000000", "黔西南布依族苗族自治州", "104.89", "25.09"),
    ("522301000000", "兴义市", "104.89", "25.09"),
    ("630000000000", "青海省", "101.78", "36.62"),
    ("632800000000", "海西蒙古族藏族自治州", "97.37", "37.37"),
    ("632801000000", "格尔木市", "94.90", "36.40"),
    ("650000000000", "新疆维吾尔自治区", "87.62", "43.79"),
    ("654000000000", "伊犁哈萨克自治州", "81.31", "43.92"),
    ("654002000000", "伊宁市", "81.27", "43.92"),
    ("810000000000", "香港特别行政区", "114.17", "22.27"),
]


@pytest.fixture(scope="module")
def gz():
    return bg.Gazetteer(ROWS)


@pytest.fixture
def resolver(gz):
    zones = [
        bg.Zone(
            "zone_suzhou_industrial_park",
            "苏州工业园区",
            "Suzhou Industrial Park",
            "economic_development_zone",
            "440300",
            ["苏州园区"],
        )
    ]
    return bg.Resolver(gz, {}, zones)


def check(res, unit_id, method):
    assert res.ok, res.error
    assert (res.unit_id, res.method) == (unit_id, method)


# --- exact / suffix -------------------------------------------------------------------------


def test_exact(resolver):
    check(resolver.resolve("city", "深圳市"), "cn_440300", "exact")
    check(resolver.resolve("county", "兴义市"), "cn_522301", "exact")


def test_suffix(resolver):
    check(resolver.resolve("city", "深圳"), "cn_440300", "suffix")
    check(resolver.resolve("city", "北京"), "cn_110000", "suffix")  # municipality
    check(resolver.resolve("city", "香港"), "cn_810000", "suffix")  # 特别行政区
    check(resolver.resolve("county", "格尔木"), "cn_632801", "suffix")


def test_province_direct_county_city_at_city_level(resolver):
    check(resolver.resolve("city", "济源"), "cn_419001", "province_direct")


# --- autonomous prefecture short forms ------------------------------------------------------


@pytest.mark.parametrize(
    "printed,unit_id",
    [
        ("黔西南州", "cn_522300"),
        ("黔西南", "cn_522300"),
        ("伊犁", "cn_654000"),
        ("海西", "cn_632800"),
    ],
)
def test_autonomous_short_form(resolver, printed, unit_id):
    check(resolver.resolve("city", printed), unit_id, "short_form")


def test_strip_autonomous():
    assert bg.strip_autonomous("黔西南布依族苗族自治州") == ("黔西南", ["布依", "苗"], "自治州")
    assert bg.strip_autonomous("伊犁哈萨克自治州") == ("伊犁", ["哈萨克"], "自治州")
    # 水 is an ethnic group, but one-character groups are only stripped with 族
    assert bg.strip_autonomous("彭水苗族土家族自治县") == ("彭水", ["苗", "土家"], "自治县")
    assert bg.strip_autonomous("深圳市") is None


# --- city-prefixed districts ----------------------------------------------------------------


@pytest.mark.parametrize(
    "printed,unit_id",
    [
        ("深圳龙岗区", "cn_440307"),
        ("深圳市南山区", "cn_440305"),
        ("深圳龙岗", "cn_440307"),  # district suffix omitted
        ("北京海淀区", "cn_110108"),  # municipality district
        ("长春朝阳区", "cn_220104"),
        ("济南市中区", "cn_370103"),  # 济南 + 市中区, not 济南市 + 中区
        ("青岛市南区", "cn_370202"),
    ],
)
def test_city_prefix(resolver, printed, unit_id):
    check(resolver.resolve("district", printed), unit_id, "city_prefix")


# --- levels and ambiguity -------------------------------------------------------------------


def test_city_level_name_stays_at_city_level(resolver):
    # 朝阳 at city level is 朝阳市 (Liaoning), never 朝阳区 / 朝阳县
    check(resolver.resolve("city", "朝阳"), "cn_211300", "suffix")
    # and 吉林 is the city, not the province
    check(resolver.resolve("city", "吉林"), "cn_220200", "suffix")


def test_county_level_name_never_resolves_to_a_city(resolver):
    res = resolver.resolve("county", "深圳")
    assert not res.ok


def test_ambiguity_is_an_error(resolver):
    res = resolver.resolve("district", "朝阳区")  # Beijing and Changchun
    assert not res.ok
    assert res.candidates == ["cn_110105", "cn_220104"]
    assert "ambiguous" in res.error
    res = resolver.resolve("district", "市中区")  # Jinan and Leshan
    assert not res.ok and len(res.candidates) == 2
    res = resolver.resolve("county", "朝阳")  # 朝阳区 ×2 and 朝阳县 by suffix
    assert not res.ok and len(res.candidates) == 3


def test_unknown_name(resolver):
    res = resolver.resolve("city", "不存在")
    assert not res.ok and res.error == "no match"


# --- overrides ------------------------------------------------------------------------------


def test_override_settles_ambiguity(gz):
    r = bg.Resolver(gz, {("district", "朝阳区"): "110105"})
    check(r.resolve("district", "朝阳区"), "cn_110105", "override")
    # the override is keyed by level: the city-level name is untouched
    check(r.resolve("city", "朝阳"), "cn_211300", "suffix")


def test_override_wins_over_automatic_match(gz):
    r = bg.Resolver(gz, {("district", "深圳龙岗区"): "440305"})
    check(r.resolve("district", "深圳龙岗区"), "cn_440305", "override")


def test_override_is_validated(gz):
    r = bg.Resolver(
        gz,
        {("district", "某区"): "999999", ("city", "海淀"): "110108", ("county", "深圳"): "440300"},
    )
    assert "not in cpca" in r.resolve("district", "某区").error
    assert "not a city-level" in r.resolve("city", "海淀").error
    assert "not a county-level" in r.resolve("county", "深圳").error


# --- zones ----------------------------------------------------------------------------------


def test_zone_by_name_and_alias(resolver):
    check(resolver.resolve("zone", "苏州工业园区"), "zone_suzhou_industrial_park", "zone")
    check(resolver.resolve("zone", "苏州园区"), "zone_suzhou_industrial_park", "zone")
    assert not resolver.resolve("zone", "深圳").ok


# --- parents, types, English names ----------------------------------------------------------


def test_parents_and_types(gz):
    assert gz.parent_code("440307") == "440300"
    assert gz.parent_code("110108") == "110000"  # municipality district -> municipality
    assert gz.parent_code("419001") is None  # province-administered county-level city
    assert bg.unit_type_of(gz, gz.get("110000")) == "municipality"
    assert bg.unit_type_of(gz, gz.get("522300")) == "autonomous_prefecture"
    assert bg.unit_type_of(gz, gz.get("440307")) == "district"
    assert bg.unit_type_of(gz, gz.get("632801")) == "county_city"
    assert bg.unit_type_of(gz, gz.get("810000")) == "special_administrative_region"


def test_english_names(gz):
    provinces = {
        "110000": {"name_en": "Beijing"},
        "440000": {"name_en": "Guangdong"},
        "520000": {"name_en": "Guizhou"},
    }
    assert bg.english_name(gz, gz.get("440300"), provinces) == "Shenzhen"
    assert bg.english_name(gz, gz.get("440307"), provinces) == "Longgang District"
    assert bg.english_name(gz, gz.get("110000"), provinces) == "Beijing"
    assert (
        bg.english_name(gz, gz.get("522300"), provinces)
        == "Qianxinan Buyei and Miao Autonomous Prefecture"
    )


# --- collecting names from published seeds --------------------------------------------------


def _write(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def test_collect_names(tmp_path):
    ed = tmp_path / "ed_a"
    _write(
        ed / "ed_a__ranking_tables.csv",
        [
            "table_id",
            "framework_id",
            "unit_level",
            "title_zh",
            "title_en",
            "is_rank_printed",
            "is_score_printed",
            "source_ref",
        ],
        [
            ["t1", "f", "city", "", "", "true", "true", "x"],
            ["t2", "f", "district", "", "", "true", "true", "x"],
        ],
    )
    _write(
        ed / "ed_a__ranking_rows.csv",
        [
            "table_id",
            "row_order",
            "name_as_printed",
            "published_rank",
            "published_score",
            "source_ref",
        ],
        [
            ["t1", "1", "深圳", "1", "", "x"],
            ["t2", "1", " 深圳龙岗区 ", "1", "", "x"],
            ["t9", "1", "孤儿", "1", "", "x"],
        ],
    )
    _write(
        ed / "ed_a__tier_members.csv",
        ["framework_id", "unit_level", "tier_code", "name_as_printed", "source_ref"],
        [["f", "city", "tier_1", "伊犁", "x"]],
    )
    _write(
        ed / "ed_a__cluster_members.csv",
        ["cluster_id", "name_as_printed", "is_evaluated", "source_ref"],
        [["greater_bay_area", "香港", "false", "x"]],
    )
    # an edition still being written: rows without their tables file
    _write(
        tmp_path / "ed_b" / "ed_b__ranking_rows.csv",
        [
            "table_id",
            "row_order",
            "name_as_printed",
            "published_rank",
            "published_score",
            "source_ref",
        ],
        [["t1", "1", "北京", "1", "", "x"]],
    )
    probs = bg.Problems()
    names = bg.collect_names(tmp_path, probs)
    assert set(names) == {
        ("city", "深圳"),
        ("district", "深圳龙岗区"),
        ("city", "伊犁"),
        ("city", "香港"),
    }
    assert any("t9" in w for w in probs.warnings)
    assert any("ranking_tables.csv missing" in w for w in probs.warnings)
    assert not probs.errors
