#!/usr/bin/env python3
"""Build the geography layer seeds from the published report seeds.

Deterministic generator for

    seeds/geography/geo_units.csv      one row per geographic unit (GB/T 2260 unit or zone)
    seeds/geography/unit_aliases.csv   one row per (unit_level, name as printed) -> unit_id

from these inputs:

    seeds/published/*/*ranking_rows.csv      names (unit_level via *ranking_tables.csv, on table_id)
    seeds/published/*/*tier_members.csv      names (own unit_level column)
    seeds/published/*/*cluster_members.csv   names (unit_level city)
    seeds/published/h3c_dei_2021/h3c_dei_2021__digital_economy_scale.csv   names (city)
    seeds/geography/geo_name_overrides.csv   hand-maintained: (unit_level, name_as_printed)
                                             -> adcode
    seeds/geography/zones.csv                hand-curated high-tech / economic-development zones
    seeds/geography/provinces.csv            hand-curated province English names and macro-regions
    cpca's resources/adcodes.csv             GB/T 2260 codes, names and coordinates (the gazetteer)

Every administrative code comes from cpca's adcodes.csv (or from the hand-maintained override /
zone files, which the script validates against cpca). No adcode is written in this script.

Resolution of one (unit_level, name) -- first step that yields any candidate decides; if that step
yields more than one unit the name is *ambiguous* (an error until an override settles it):

    override     (unit_level, name) is listed in geo_name_overrides.csv
    zone         unit_level zone: name_zh or a printed alias in zones.csv
    exact        name == official cpca name of a unit of the right level
    suffix       name + one of 市/区/县/州/地区/盟/自治州/自治县/旗/特别行政区/... == official name
    short_form   autonomous-unit short form: 伊犁 / 黔西南州 / 海西 -> 伊犁哈萨克自治州, ...
                 (official name minus 自治州/自治县/自治旗 and the trailing ethnic-group names,
                  optionally + 州 / 县)
    city_prefix  (district / county level only) <city><district>: 深圳龙岗区, 深圳市南山区,
                 济南市中区 (= 济南 + 市中区) -- the city part resolves at city level, the rest
                 resolves (exact / suffix / short_form) among that city's county-level units
    province_direct  (city level only, last resort) county-level cities administered directly by
                 the province (济源, 仙桃, 潜江, ...), exact or + 市

Level rule: city-level names resolve only among municipalities, prefecture-level units and the two
SARs (so 朝阳 at city level is 朝阳市 Liaoning, never 朝阳区); district- and county-level names
resolve only among county-level units (districts, counties, county-level cities, banners).

Usage:
    .venv/bin/python scripts/build_geography.py            # regenerate the two output CSVs
    .venv/bin/python scripts/build_geography.py --check    # exit 1 if outputs on disk are stale
    .venv/bin/python scripts/build_geography.py --resolve city:伊犁 --resolve district:深圳龙岗区

Exit status: 0 ok; 1 unresolved / ambiguous names, invalid hand-maintained input, or (--check)
outputs differ from a regeneration.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import importlib.util
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED_DIR = ROOT / "seeds" / "published"
GEO_DIR = ROOT / "seeds" / "geography"
OVERRIDES_CSV = GEO_DIR / "geo_name_overrides.csv"
ZONES_CSV = GEO_DIR / "zones.csv"
PROVINCES_CSV = GEO_DIR / "provinces.csv"
GEO_UNITS_CSV = GEO_DIR / "geo_units.csv"
ALIASES_CSV = GEO_DIR / "unit_aliases.csv"
PINYIN_CSV = GEO_DIR / "hanzi_pinyin.csv"

UNIT_LEVELS = ("city", "district", "county", "zone")

GEO_UNITS_HEADER = [
    "unit_id",
    "unit_type",
    "name_zh",
    "short_name_zh",
    "name_en",
    "adcode",
    "parent_unit_id",
    "province_adcode",
    "province_zh",
    "province_en",
    "macro_region_zh",
    "macro_region_en",
    "longitude",
    "latitude",
]
ALIASES_HEADER = ["unit_level", "alias_zh", "unit_id", "resolution_method"]
OVERRIDES_HEADER = ["unit_level", "name_as_printed", "adcode", "reason"]
ZONES_REQUIRED = ["zone_id", "name_zh", "name_en", "zone_type", "host_adcode"]
PROVINCES_HEADER = ["province_adcode", "name_zh", "name_en", "macro_region_zh", "macro_region_en"]

MACRO_REGIONS = {
    "华北": "North China",
    "东北": "Northeast China",
    "华东": "East China",
    "中南": "South Central China",
    "西南": "Southwest China",
    "西北": "Northwest China",
}

# Province-level units whose "cities" are the province itself.
MUNICIPALITY_PROVINCES = ("11", "12", "31", "50")
SAR_PROVINCES = ("81", "82")
# cpca rows that are grouping placeholders, not units.
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Suffixes tried by the `suffix` step, longest first.
SUFFIXES = (
    "特别行政区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "新区",
    "林区",
    "特区",
    "市",
    "区",
    "县",
    "州",
    "盟",
    "旗",
)

# English names of the 55 minority ethnic groups (official ethnonyms used in autonomous-unit names).
ETHNIC_EN = {
    "蒙古": "Mongol",
    "回": "Hui",
    "藏": "Tibetan",
    "维吾尔": "Uygur",
    "苗": "Miao",
    "彝": "Yi",
    "壮": "Zhuang",
    "布依": "Buyei",
    "朝鲜": "Korean",
    "满": "Manchu",
    "侗": "Dong",
    "瑶": "Yao",
    "白": "Bai",
    "土家": "Tujia",
    "哈尼": "Hani",
    "哈萨克": "Kazakh",
    "傣": "Dai",
    "黎": "Li",
    "傈僳": "Lisu",
    "佤": "Va",
    "畲": "She",
    "拉祜": "Lahu",
    "水": "Sui",
    "东乡": "Dongxiang",
    "纳西": "Naxi",
    "景颇": "Jingpo",
    "柯尔克孜": "Kirgiz",
    "土": "Tu",
    "达斡尔": "Daur",
    "仫佬": "Mulao",
    "羌": "Qiang",
    "布朗": "Blang",
    "撒拉": "Salar",
    "毛南": "Maonan",
    "仡佬": "Gelao",
    "锡伯": "Xibe",
    "阿昌": "Achang",
    "普米": "Pumi",
    "塔吉克": "Tajik",
    "怒": "Nu",
    "乌孜别克": "Uzbek",
    "俄罗斯": "Russian",
    "鄂温克": "Ewenki",
    "德昂": "De'ang",
    "保安": "Bonan",
    "裕固": "Yugur",
    "京": "Gin",
    "塔塔尔": "Tatar",
    "独龙": "Derung",
    "鄂伦春": "Oroqen",
    "赫哲": "Hezhen",
    "门巴": "Monba",
    "珞巴": "Lhoba",
    "基诺": "Jino",
    "高山": "Gaoshan",
    "各": "Various Nationalities",
}

# Pinyin corrections where pypinyin picks the wrong reading of a place-name character
# and conventional English forms (romanisation only -- no codes). Key: the cpca name without its
# unit suffix (stem), or the full cpca name where the stem alone would be ambiguous
# (兴安盟 vs 兴安县).
PINYIN_FIXES = {
    # wrong reading of a polyphonic character
    "六安": "Lu'an",
    "蚌埠": "Bengbu",
    "丽水": "Lishui",
    "亳州": "Bozhou",
    "乐清": "Yueqing",
    "番禺": "Panyu",
    "荥阳": "Xingyang",
    "台州": "Taizhou",
    "长兴": "Changxing",
    "东莞": "Dongguan",
    "厦门": "Xiamen",
    "重庆": "Chongqing",
    "长沙": "Changsha",
    "长春": "Changchun",
    "长治": "Changzhi",
    "长安": "Chang'an",
    "长宁": "Changning",
    "长乐": "Changle",
    "长丰": "Changfeng",
    "长寿": "Changshou",
    "朝阳": "Chaoyang",
    "大理": "Dali",
    "乐山": "Leshan",
    "单": "Shan",
    "莘": "Shen",
    "铅山": "Yanshan",
    "涪城": "Fucheng",
    "濮阳": "Puyang",
    "洪洞": "Hongtong",
    "会同": "Huitong",
    "会理": "Huili",
    "吕梁": "Lüliang",
    "柏乡": "Baixiang",
    "漯河": "Luohe",
    "闵行": "Minhang",
    "宜都": "Yidu",
    "昆都仑": "Kundulun",
    "曲靖": "Qujing",
    "蚌山": "Bengshan",
    # conventional English forms of non-Han place names
    "哈尔滨": "Harbin",
    "齐齐哈尔": "Qiqihar",
    "克拉玛依": "Karamay",
    "阿拉善": "Alxa",
    "乌鲁木齐": "Urumqi",
    "呼和浩特": "Hohhot",
    "巴音郭楞": "Bayingolin",
    "伊犁": "Ili",
    "喀什": "Kashgar",
    "克孜勒苏": "Kizilsu",
    "博尔塔拉": "Bortala",
    "阿克苏": "Aksu",
    "和田": "Hotan",
    "塔城": "Tacheng",
    "阿勒泰": "Altay",
    "拉萨": "Lhasa",
    "日喀则": "Xigaze",
    "鄂尔多斯": "Ordos",
    "包头": "Baotou",
    "海西": "Haixi",
    "库尔勒": "Korla",
    "准格尔": "Jungar",
    "伊金霍洛": "Ejin Horo",
    "格尔木": "Golmud",
    "昌吉": "Changji",
    "哈密": "Hami",
    "吐鲁番": "Turpan",
    "石河子": "Shihezi",
    "锡林郭勒": "Xilingol",
    "兴安盟": "Hinggan",
    "呼伦贝尔": "Hulunbuir",
    "乌兰察布": "Ulanqab",
    "巴彦淖尔": "Bayannur",
    "通辽": "Tongliao",
    "赤峰": "Chifeng",
    "乌海": "Wuhai",
}

# Characters whose place-name reading is (nearly) always the same, whatever pypinyin guesses
# from context: 长 chang (长阳, 长白), 都 du (都安, 三都, 宜都).
CHAR_READINGS = {"长": "chang", "都": "du"}


# --------------------------------------------------------------------------------------------
# Gazetteer (cpca adcodes)
# --------------------------------------------------------------------------------------------


def cpca_adcodes_path() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or spec.origin is None:
        raise SystemExit("cpca is not installed in this Python environment")
    return Path(spec.origin).parent / "resources" / "adcodes.csv"


@dataclass(frozen=True)
class AdminUnit:
    adcode: str  # 6 digits
    name: str
    longitude: str
    latitude: str

    @property
    def province_code(self) -> str:
        return self.adcode[:2] + "0000"

    @property
    def tier(self) -> str:
        if self.adcode[2:] == "0000":
            return "province"
        if self.adcode[4:] == "00":
            return "prefecture"
        return "county"


def strip_autonomous(name: str) -> tuple[str, list[str], str] | None:
    """黔西南布依族苗族自治州 -> ('黔西南', ['布依', '苗'], '自治州'); None if not autonomous.

    Ethnic names are stripped from the end of the stem, with 族 or (for names of two or more
    characters, as in 巴音郭楞蒙古自治州 / 伊犁哈萨克自治州) without it. A one-character group
    is only stripped with 族, so 彭水苗族土家族自治县 keeps its stem 彭水 (水 is also a group).
    Where the stem is the ethnic name itself (东乡族自治县, 鄂伦春自治旗) the groups list is empty.
    """
    for suffix in ("自治州", "自治县", "自治旗"):
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            groups: list[str] = []
            keys = sorted(ETHNIC_EN, key=len, reverse=True)
            changed = True
            while changed:
                changed = False
                for key in keys:
                    forms = (key + "族", key) if len(key) >= 2 else (key + "族",)
                    for form in forms:
                        if stem.endswith(form) and len(stem) > len(form):
                            groups.insert(0, key)
                            stem = stem[: -len(form)]
                            changed = True
                            break
                    if changed:
                        break
            if stem.endswith("各族") and len(stem) > 2:  # 龙胜各族自治县
                stem = stem[:-2]
                groups = ["各"]
            if not groups and stem.endswith("族") and len(stem) > 2:
                stem = stem[:-1]
            return stem, groups, suffix
    return None


class Gazetteer:
    """GB/T 2260 units from cpca, indexed by level."""

    def __init__(self, rows):
        """rows: iterable of (adcode, name, longitude, latitude); adcode 6 or 12 digits."""
        self.units: dict[str, AdminUnit] = {}
        for adcode, name, lon, lat in rows:
            code = str(adcode).strip()[:6]
            if not re.fullmatch(r"\d{6}", code):
                continue
            self.units[code] = AdminUnit(
                code, name.strip(), (lon or "").strip(), (lat or "").strip()
            )
        self.city_units: list[AdminUnit] = []
        self.county_units: list[AdminUnit] = []
        self.province_direct_units: list[AdminUnit] = []
        for u in self.units.values():
            if u.name in PLACEHOLDER_NAMES:
                continue
            if u.tier == "province":
                if u.adcode[:2] in MUNICIPALITY_PROVINCES + SAR_PROVINCES:
                    self.city_units.append(u)
            elif u.tier == "prefecture":
                self.city_units.append(u)
            else:
                self.county_units.append(u)
                if (
                    self.parent_code(u.adcode) is None
                    and u.adcode[:2] not in MUNICIPALITY_PROVINCES
                ):
                    self.province_direct_units.append(u)
        for lst in (self.city_units, self.county_units, self.province_direct_units):
            lst.sort(key=lambda x: x.adcode)

    @classmethod
    def from_cpca(cls, path: Path | None = None) -> Gazetteer:
        path = path or cpca_adcodes_path()
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            return cls((r["adcode"], r["name"], r["longitude"], r["latitude"]) for r in reader)

    def get(self, adcode: str) -> AdminUnit | None:
        return self.units.get(adcode)

    def parent_code(self, adcode: str) -> str | None:
        """City / municipality a county-level unit belongs to (None for cities and for county-level
        units administered directly by a province)."""
        u = self.units.get(adcode)
        if u is None or u.tier != "county":
            return None
        if adcode[:2] in MUNICIPALITY_PROVINCES:
            return adcode[:2] + "0000"
        pref = self.units.get(adcode[:4] + "00")
        if pref is not None and pref.name not in PLACEHOLDER_NAMES:
            return pref.adcode
        return None

    def is_city_level(self, adcode: str) -> bool:
        return any(u.adcode == adcode for u in self.city_units) or any(
            u.adcode == adcode for u in self.province_direct_units
        )

    def is_county_level(self, adcode: str) -> bool:
        u = self.units.get(adcode)
        return u is not None and u.tier == "county" and u.name not in PLACEHOLDER_NAMES

    def children(self, city_code: str) -> list[AdminUnit]:
        if city_code[2:] == "0000":
            return [u for u in self.county_units if u.adcode[:2] == city_code[:2]]
        return [u for u in self.county_units if u.adcode[:4] == city_code[:4]]


# --------------------------------------------------------------------------------------------
# Resolver
# --------------------------------------------------------------------------------------------


@dataclass
class Zone:
    zone_id: str
    name_zh: str
    name_en: str
    zone_type: str
    host_adcode: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class Resolution:
    unit_level: str
    name: str
    unit_id: str | None = None
    method: str | None = None
    candidates: list[str] = field(default_factory=list)  # unit_ids when ambiguous
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.unit_id is not None


def admin_unit_id(adcode: str) -> str:
    return f"cn_{adcode}"


def _match_names(name: str, units, *, suffix: bool = True, short: bool = True):
    """Yield (method, units) for the first of exact / suffix / short_form that matches."""
    exact = [u for u in units if u.name == name]
    if exact:
        return "exact", exact
    if suffix:
        hits = [u for u in units if any(u.name == name + s for s in SUFFIXES)]
        if hits:
            return "suffix", hits
    if short:
        hits = []
        for u in units:
            parts = strip_autonomous(u.name)
            if parts is None:
                continue
            stem, _groups, kind = parts
            forms = {stem}
            forms.add(stem + {"自治州": "州", "自治县": "县", "自治旗": "旗"}[kind])
            if name in forms:
                hits.append(u)
        if hits:
            return "short_form", hits
    return None, []


class Resolver:
    def __init__(
        self, gazetteer: Gazetteer, overrides: dict | None = None, zones: list[Zone] | None = None
    ):
        self.gz = gazetteer
        self.overrides = overrides or {}  # (unit_level, name) -> adcode
        self.zones = zones or []

    def resolve(self, unit_level: str, name: str) -> Resolution:
        res = Resolution(unit_level, name)
        if unit_level not in UNIT_LEVELS:
            res.error = f"unknown unit_level {unit_level!r}"
            return res
        key = (unit_level, name)
        if key in self.overrides:
            code = self.overrides[key]
            if unit_level == "zone":
                if any(z.zone_id == code for z in self.zones):
                    res.unit_id, res.method = code, "override"
                else:
                    res.error = f"override points to unknown zone_id {code}"
                return res
            if self.gz.get(code) is None:
                res.error = f"override adcode {code} not in cpca"
            elif unit_level == "city" and not self.gz.is_city_level(code):
                res.error = f"override adcode {code} is not a city-level unit"
            elif unit_level != "city" and not self.gz.is_county_level(code):
                res.error = f"override adcode {code} is not a county-level unit"
            else:
                res.unit_id, res.method = admin_unit_id(code), "override"
            return res

        if unit_level == "zone":
            hits = [z for z in self.zones if name == z.name_zh or name in z.aliases]
            return self._decide(res, "zone", [z.zone_id for z in hits])

        units = self.gz.city_units if unit_level == "city" else self.gz.county_units
        method, hits = _match_names(name, units)
        if hits:
            return self._decide(res, method, [admin_unit_id(u.adcode) for u in hits])

        if unit_level in ("district", "county"):
            found: dict[str, set] = {}
            for i in range(2, len(name) - 1):
                prefix, rest = name[:i], name[i:]
                _m, cities = _match_names(prefix, self.gz.city_units)
                for city in cities:
                    _m2, subs = _match_names(rest, self.gz.children(city.adcode))
                    for s in subs:
                        found.setdefault(admin_unit_id(s.adcode), set()).add(prefix)
            if found:
                return self._decide(res, "city_prefix", sorted(found))
        else:
            method, hits = _match_names(name, self.gz.province_direct_units, short=False)
            if hits:
                return self._decide(res, "province_direct", [admin_unit_id(u.adcode) for u in hits])

        res.error = "no match"
        return res

    @staticmethod
    def _decide(res: Resolution, method: str, ids: list[str]) -> Resolution:
        ids = sorted(set(ids))
        if len(ids) == 1:
            res.unit_id, res.method = ids[0], method
        else:
            res.candidates = ids
            res.error = f"ambiguous ({method}): " + ", ".join(ids)
        return res


# --------------------------------------------------------------------------------------------
# Names: romanisation, unit types
# --------------------------------------------------------------------------------------------


def pinyin_stem(stem: str, full_name: str = "") -> str:
    if full_name in PINYIN_FIXES:
        return PINYIN_FIXES[full_name]
    if stem in PINYIN_FIXES:
        return PINYIN_FIXES[stem]
    from pypinyin import Style, lazy_pinyin

    sylls = lazy_pinyin(stem, style=Style.NORMAL, v_to_u=True, errors="ignore")
    if len(sylls) == len(stem):
        sylls = [CHAR_READINGS.get(ch, syl) for ch, syl in zip(stem, sylls, strict=True)]
    out = ""
    for i, s in enumerate(sylls):
        if i and s[:1] in ("a", "o", "e"):
            out += "'"
        out += s
    return out[:1].upper() + out[1:]


def unit_type_of(gz: Gazetteer, u: AdminUnit) -> str:
    code, name = u.adcode, u.name
    if u.tier == "province":
        if code[:2] in MUNICIPALITY_PROVINCES:
            return "municipality"
        if code[:2] in SAR_PROVINCES:
            return "special_administrative_region"
        return "province"
    if u.tier == "prefecture":
        if name.endswith("自治州"):
            return "autonomous_prefecture"
        if name.endswith("盟"):
            return "league"
        if name.endswith("地区"):
            return "region"
        return "prefecture_city"
    if name.endswith("自治县"):
        return "autonomous_county"
    if name.endswith("旗"):
        return "banner"
    if name.endswith("区"):
        return "district"
    if name.endswith("县"):
        return "county"
    if name.endswith("市"):
        return "county_city"
    return "county"


PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省")


def short_name(u: AdminUnit) -> str:
    """The name without its unit suffix, as people write it: 锦州市 -> 锦州,
    伊犁哈萨克自治州 -> 伊犁, 辽宁省 -> 辽宁. The engine resolves a user's unit name by it
    (docs/engine.md §1)."""
    name = u.name
    auto = strip_autonomous(name)
    if auto is not None:
        return auto[0]
    suffixes = PROVINCE_SUFFIXES + SUFFIXES if u.tier == "province" else SUFFIXES
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _join_en(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def english_name(gz: Gazetteer, u: AdminUnit, provinces: dict) -> str:
    utype = unit_type_of(gz, u)
    name = u.name
    if utype in ("province", "municipality", "special_administrative_region"):
        return provinces[u.province_code]["name_en"]
    auto = strip_autonomous(name)
    if auto is not None:
        stem, groups, kind = auto
        kind_en = {
            "自治州": "Autonomous Prefecture",
            "自治县": "Autonomous County",
            "自治旗": "Autonomous Banner",
        }[kind]
        if not groups:
            return f"{pinyin_stem(stem)} {kind_en}"
        return f"{pinyin_stem(stem)} {_join_en([ETHNIC_EN[g] for g in groups])} {kind_en}"
    if utype == "region":
        return f"{pinyin_stem(name[:-2])} Prefecture"
    if utype == "league":
        return f"{pinyin_stem(name[:-1], name)} League"
    if utype in ("prefecture_city", "county_city"):
        return pinyin_stem(name[:-1] if name.endswith("市") and len(name) > 2 else name)
    if utype == "banner":
        return f"{pinyin_stem(name[:-1])} Banner"
    if utype == "county":
        return f"{pinyin_stem(name[:-1] if name.endswith('县') else name)} County"
    if utype == "district":
        if name.endswith("新区") and len(name) >= 4:
            return f"{pinyin_stem(name[:-2])} New Area"
        if name.endswith("特区"):
            return f"{pinyin_stem(name[:-2])} Special District"
        if name.endswith("林区") and gz.parent_code(u.adcode) is None:
            return f"{pinyin_stem(name[:-2])} Forestry District"
        return f"{pinyin_stem(name[:-1])} District"
    return pinyin_stem(name)


# --------------------------------------------------------------------------------------------
# I/O helpers
# --------------------------------------------------------------------------------------------


def rel(path: Path) -> str:
    """Path relative to the project root when inside it (for messages)."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [
            {(k or "").strip(" "): (v or "").strip(" ") for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


def to_csv_text(header: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", extrasaction="raise")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


class Problems:
    def __init__(self):
        self.errors: list[str] = []
        self.warnings: list[str] = []


def load_overrides(path: Path, probs: Problems) -> dict:
    out: dict = {}
    if not path.exists():
        probs.warnings.append(f"{rel(path)} missing (no overrides)")
        return out
    for i, r in enumerate(read_csv(path), start=2):
        missing = [c for c in OVERRIDES_HEADER if c not in r]
        if missing:
            probs.errors.append(f"{path.name}: missing columns {missing}")
            return out
        key = (r["unit_level"], r["name_as_printed"])
        code = r["adcode"]
        if r["unit_level"] != "zone" and not re.fullmatch(r"\d{6}", code):
            probs.errors.append(f"{path.name}:{i}: adcode {code!r} is not 6 digits")
            continue
        if not r["reason"]:
            probs.errors.append(f"{path.name}:{i}: reason is empty")
        if key in out and out[key] != code:
            probs.errors.append(f"{path.name}:{i}: conflicting override for {key}")
        out[key] = code
    return out


def load_zones(path: Path, gz: Gazetteer, probs: Problems) -> list[Zone]:
    zones: list[Zone] = []
    if not path.exists():
        probs.warnings.append(f"{rel(path)} missing (no zones)")
        return zones
    seen: set = set()
    for i, r in enumerate(read_csv(path), start=2):
        missing = [c for c in ZONES_REQUIRED if c not in r]
        if missing:
            probs.errors.append(f"{path.name}: missing columns {missing}")
            return zones
        zid = r["zone_id"]
        if not re.fullmatch(r"zone_[a-z0-9_]+", zid):
            probs.errors.append(f"{path.name}:{i}: zone_id {zid!r} is not zone_<ascii slug>")
        if zid in seen:
            probs.errors.append(f"{path.name}:{i}: duplicate zone_id {zid}")
        seen.add(zid)
        host = r["host_adcode"]
        hu = gz.get(host)
        if (
            hu is None
            or hu.name in PLACEHOLDER_NAMES
            or hu.tier == "province"
            and host[:2] not in MUNICIPALITY_PROVINCES
        ):
            probs.errors.append(
                f"{path.name}:{i}: host_adcode {host} of {zid} is not a city/"
                f"county-level unit in cpca"
            )
        aliases = [a.strip() for a in r.get("printed_aliases", "").split("|") if a.strip()]
        zones.append(Zone(zid, r["name_zh"], r["name_en"], r["zone_type"], host, aliases))
    return zones


def load_provinces(path: Path, gz: Gazetteer, probs: Problems) -> dict:
    out: dict = {}
    if not path.exists():
        probs.errors.append(f"{rel(path)} missing")
        return out
    for i, r in enumerate(read_csv(path), start=2):
        code = r["province_adcode"]
        u = gz.get(code)
        if u is None or u.tier != "province":
            probs.errors.append(f"{path.name}:{i}: {code} is not a province in cpca")
        elif u.name != r["name_zh"]:
            probs.errors.append(f"{path.name}:{i}: name_zh {r['name_zh']} != cpca {u.name}")
        if MACRO_REGIONS.get(r["macro_region_zh"]) != r["macro_region_en"]:
            probs.errors.append(
                f"{path.name}:{i}: bad macro-region pair "
                f"{r['macro_region_zh']}/{r['macro_region_en']}"
            )
        out[code] = r
    for u in gz.units.values():
        if u.tier == "province" and u.adcode not in out:
            probs.errors.append(f"{path.name}: province {u.adcode} {u.name} missing")
    return out


def collect_names(published: Path, probs: Problems) -> dict:
    """{(unit_level, name): set(source files)} from the published seeds (missing files skipped)."""
    names: dict = {}

    def add(level: str, name: str, src: Path):
        name = (name or "").strip(" ")  # as the staging models trim()
        if not name:
            return
        if level not in UNIT_LEVELS:
            probs.warnings.append(f"{rel(src)}: unknown unit_level {level!r} for {name}")
            return
        names.setdefault((level, name), set()).add(rel(src))

    def safe_read(path: Path, needed: list[str]) -> list[dict]:
        try:
            rows = read_csv(path)
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            probs.warnings.append(f"{rel(path)}: unreadable ({exc})")
            return []
        if rows and any(c not in rows[0] for c in needed):
            probs.warnings.append(
                f"{rel(path)}: missing columns {[c for c in needed if c not in rows[0]]}; skipped"
            )
            return []
        return rows

    if not published.exists():
        probs.warnings.append(f"{published} missing")
        return names
    for rows_path in sorted(published.glob("*/*ranking_rows.csv")):
        tables_path = rows_path.with_name(rows_path.name.replace("ranking_rows", "ranking_tables"))
        levels = {}
        if tables_path.exists():
            levels = {
                r["table_id"]: r["unit_level"]
                for r in safe_read(tables_path, ["table_id", "unit_level"])
            }
        else:
            probs.warnings.append(f"{rel(tables_path)} missing; {rows_path.name} skipped")
        unknown_tables = set()
        for r in safe_read(rows_path, ["table_id", "name_as_printed"]):
            level = levels.get(r["table_id"])
            if level is None:
                if levels:
                    unknown_tables.add(r["table_id"])
                continue
            add(level, r["name_as_printed"], rows_path)
        for t in sorted(unknown_tables):
            probs.warnings.append(
                f"{rel(rows_path)}: table_id {t} not in {tables_path.name}; its rows skipped"
            )
    for path in sorted(published.glob("*/*tier_members.csv")):
        for r in safe_read(path, ["unit_level", "name_as_printed"]):
            add(r["unit_level"], r["name_as_printed"], path)
    for path in sorted(published.glob("*/*cluster_members.csv")):
        for r in safe_read(path, ["name_as_printed"]):
            add("city", r["name_as_printed"], path)
    scale = published / "h3c_dei_2021" / "h3c_dei_2021__digital_economy_scale.csv"
    if scale.exists():
        for r in safe_read(scale, ["name_as_printed"]):
            add("city", r["name_as_printed"], scale)
    else:
        probs.warnings.append(f"{rel(scale)} missing")
    return names


# --------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------


@dataclass
class BuildResult:
    geo_units_csv: str
    aliases_csv: str
    resolutions: list[Resolution]
    unit_rows: list[dict]
    problems: Problems


def build(published: Path = PUBLISHED_DIR, gz: Gazetteer | None = None) -> BuildResult:
    probs = Problems()
    gz = gz or Gazetteer.from_cpca()
    provinces = load_provinces(PROVINCES_CSV, gz, probs)
    overrides = load_overrides(OVERRIDES_CSV, probs)
    zones = load_zones(ZONES_CSV, gz, probs)
    resolver = Resolver(gz, overrides, zones)
    names = collect_names(published, probs)

    resolutions = [resolver.resolve(level, name) for level, name in sorted(names)]
    for res in resolutions:
        if not res.ok:
            probs.errors.append(
                f"unresolved [{res.unit_level}] {res.name}: {res.error} "
                f"(in {', '.join(sorted(names[(res.unit_level, res.name)]))})"
            )
    for key in sorted(set(overrides) - set(names)):
        probs.warnings.append(f"override not used by any current seed name: {key}")

    # ---- units: every GB/T 2260 unit (province, prefecture, county level), printed or not ------
    wanted = {code for code, u in gz.units.items() if u.name not in PLACEHOLDER_NAMES}

    rows: list[dict] = []
    for code in sorted(wanted):
        u = gz.get(code)
        if u is None:
            continue
        prov = provinces.get(u.province_code, {})
        parent = gz.parent_code(code)
        rows.append(
            {
                "unit_id": admin_unit_id(code),
                "unit_type": unit_type_of(gz, u),
                "name_zh": u.name,
                "short_name_zh": short_name(u),
                "name_en": english_name(gz, u, provinces) if prov else "",
                "adcode": code,
                "parent_unit_id": admin_unit_id(parent) if parent else "",
                "province_adcode": u.province_code,
                "province_zh": prov.get("name_zh", ""),
                "province_en": prov.get("name_en", ""),
                "macro_region_zh": prov.get("macro_region_zh", ""),
                "macro_region_en": prov.get("macro_region_en", ""),
                "longitude": u.longitude,
                "latitude": u.latitude,
            }
        )
    for z in sorted(zones, key=lambda z: z.zone_id):
        host = gz.get(z.host_adcode)
        if host is None:
            continue
        prov = provinces.get(host.province_code, {})
        rows.append(
            {
                "unit_id": z.zone_id,
                "unit_type": "zone",
                "name_zh": z.name_zh,
                "short_name_zh": z.name_zh,
                "name_en": z.name_en,
                "adcode": host.adcode,  # zones have no code of their own: they take their host's
                "parent_unit_id": admin_unit_id(host.adcode),
                "province_adcode": host.province_code,
                "province_zh": prov.get("name_zh", ""),
                "province_en": prov.get("name_en", ""),
                "macro_region_zh": prov.get("macro_region_zh", ""),
                "macro_region_en": prov.get("macro_region_en", ""),
                "longitude": host.longitude,
                "latitude": host.latitude,
            }
        )
    rows.sort(key=lambda r: r["unit_id"])

    alias_rows = [
        {
            "unit_level": r.unit_level,
            "alias_zh": r.name,
            "unit_id": r.unit_id,
            "resolution_method": r.method,
        }
        for r in resolutions
        if r.ok
    ]
    alias_rows.sort(key=lambda r: (UNIT_LEVELS.index(r["unit_level"]), r["alias_zh"]))
    return BuildResult(
        to_csv_text(GEO_UNITS_HEADER, rows),
        to_csv_text(ALIASES_HEADER, alias_rows),
        resolutions,
        rows,
        probs,
    )


def hanzi_pinyin_csv() -> str:
    """Toneless pinyin of every GB 2312 hanzi (6,763): the engine suggests unit names that sound
    like a misspelt one (杭洲 -> 杭州). First reading only; place-name readings from
    CHAR_READINGS."""
    from pypinyin import Style, lazy_pinyin

    rows = []
    for code in range(0x4E00, 0x9FA6):
        char = chr(code)
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        reading = CHAR_READINGS.get(char) or lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
        rows.append({"hanzi": char, "pinyin": reading if isinstance(reading, str) else reading[0]})
    return to_csv_text(["hanzi", "pinyin"], rows)


def summarise(result: BuildResult) -> None:
    from collections import Counter

    res = result.resolutions
    print(
        f"names collected: {len(res)}  resolved: {sum(r.ok for r in res)}  "
        f"unresolved/ambiguous: {sum(not r.ok for r in res)}"
    )
    by_level = Counter(r.unit_level for r in res)
    print("  by unit_level: " + ", ".join(f"{k}={by_level[k]}" for k in UNIT_LEVELS if by_level[k]))
    by_method = Counter(r.method for r in res if r.ok)
    print("  by method:     " + ", ".join(f"{k}={v}" for k, v in sorted(by_method.items())))
    by_type = Counter(r["unit_type"] for r in result.unit_rows)
    print(
        f"geo_units: {len(result.unit_rows)} rows  ("
        + ", ".join(f"{k}={v}" for k, v in sorted(by_type.items()))
        + ")"
    )
    for w in result.problems.warnings:
        print(f"WARNING: {w}")
    for e in result.problems.errors:
        print(f"ERROR: {e}")


def diff_summary(path: Path, new_text: str) -> list[str]:
    old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    if old_text == new_text:
        return []
    old, new = old_text.splitlines(), new_text.splitlines()
    removed = sorted(set(old) - set(new))
    added = sorted(set(new) - set(old))
    lines = [
        f"{rel(path)}: differs ({len(old)} -> {len(new)} lines; +{len(added)} / -{len(removed)})"
    ]
    for line in list(difflib.unified_diff(old, new, "on disk", "regenerated", n=0, lineterm=""))[
        :40
    ]:
        lines.append("    " + line)
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the CSVs on disk differ from a regeneration",
    )
    ap.add_argument(
        "--resolve",
        action="append",
        metavar="LEVEL:NAME",
        help="resolve ad-hoc names (e.g. city:伊犁) and exit; repeatable",
    )
    args = ap.parse_args(argv)

    if args.resolve:
        probs = Problems()
        gz = Gazetteer.from_cpca()
        resolver = Resolver(
            gz, load_overrides(OVERRIDES_CSV, probs), load_zones(ZONES_CSV, gz, probs)
        )
        bad = 0
        for item in args.resolve:
            level, _, name = item.partition(":")
            r = resolver.resolve(level, name)
            label = ""
            if r.ok and r.unit_id.startswith("cn_"):
                label = gz.get(r.unit_id[3:]).name
            print(f"{level}\t{name}\t{r.unit_id or '-'}\t{label}\t{r.method or r.error}")
            bad += not r.ok
        return 1 if bad or probs.errors else 0

    result = build()
    summarise(result)
    failed = bool(result.problems.errors)
    outputs = [
        (GEO_UNITS_CSV, result.geo_units_csv),
        (ALIASES_CSV, result.aliases_csv),
        (PINYIN_CSV, hanzi_pinyin_csv()),
    ]
    if args.check:
        diffs = [line for path, text in outputs for line in diff_summary(path, text)]
        if diffs:
            print("CHECK FAILED: committed outputs differ from a regeneration:")
            print("\n".join(diffs))
            failed = True
        else:
            print("check: outputs up to date")
    else:
        GEO_DIR.mkdir(parents=True, exist_ok=True)
        for path, text in outputs:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {rel(path)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
