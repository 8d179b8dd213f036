#!/usr/bin/env python3
"""Generate kensho's example case: the synthetic Minato-kita patron leak.

Everything here is fictional: the libraries, the towns, the people, the phone
numbers and the addresses are drawn from small pools with a fixed seed. The
output in examples/case/ is byte-for-byte reproducible with any Python 3.8+:
one random.Random(SEED) drives every choice, nothing iterates over a set or a
hash-ordered container, and no clock is read.

Run from anywhere:

    python3 examples/generate.py          # (re)writes examples/case/
    python3 examples/generate.py --check  # regenerate into a temp dir and
                                          # compare with examples/case/

After writing, the generator re-reads every file it wrote with Python's csv
module and a reference implementation of the keyers in DESIGN.md section 4,
and refuses to finish if a planted copy does not match its origin, if a decoy
matches where it must not, if a recorded line number is wrong, or if the web
tree diff does not come out as designed. TRUTH.json is written from those
re-read files, not from the generator's intentions.
"""

import csv
import datetime as dt
import filecmp
import hashlib
import io
import json
import os
import random
import re
import shutil
import struct
import sys
import tempfile
import unicodedata

SEED = 20100601
HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# Pools. Family names carry (kanji, katakana reading, romaji).

FAMILY = [
    ("佐藤", "サトウ", "sato"), ("鈴木", "スズキ", "suzuki"), ("高橋", "タカハシ", "takahashi"),
    ("髙橋", "タカハシ", "takahashi"), ("田中", "タナカ", "tanaka"), ("伊藤", "イトウ", "ito"),
    ("渡辺", "ワタナベ", "watanabe"), ("山本", "ヤマモト", "yamamoto"), ("中村", "ナカムラ", "nakamura"),
    ("小林", "コバヤシ", "kobayashi"), ("加藤", "カトウ", "kato"), ("吉田", "ヨシダ", "yoshida"),
    ("山田", "ヤマダ", "yamada"), ("佐々木", "ササキ", "sasaki"), ("山口", "ヤマグチ", "yamaguchi"),
    ("松本", "マツモト", "matsumoto"), ("井上", "イノウエ", "inoue"), ("木村", "キムラ", "kimura"),
    ("林", "ハヤシ", "hayashi"), ("斎藤", "サイトウ", "saito"), ("清水", "シミズ", "shimizu"),
    ("山崎", "ヤマザキ", "yamazaki"), ("森", "モリ", "mori"), ("池田", "イケダ", "ikeda"),
    ("橋本", "ハシモト", "hashimoto"), ("阿部", "アベ", "abe"), ("石川", "イシカワ", "ishikawa"),
    ("山下", "ヤマシタ", "yamashita"), ("中島", "ナカジマ", "nakajima"), ("石井", "イシイ", "ishii"),
    ("小川", "オガワ", "ogawa"), ("前田", "マエダ", "maeda"), ("岡田", "オカダ", "okada"),
    ("長谷川", "ハセガワ", "hasegawa"), ("藤田", "フジタ", "fujita"), ("後藤", "ゴトウ", "goto"),
    ("近藤", "コンドウ", "kondo"), ("村上", "ムラカミ", "murakami"), ("遠藤", "エンドウ", "endo"),
    ("青木", "アオキ", "aoki"), ("坂本", "サカモト", "sakamoto"), ("野々村", "ノノムラ", "nonomura"),
    ("高木", "タカギ", "takagi"), ("髙木", "タカギ", "takagi"), ("高田", "タカダ", "takada"),
    ("髙田", "タカダ", "takada"), ("大野", "オオノ", "ono"), ("太田", "オオタ", "ota"),
    ("原田", "ハラダ", "harada"), ("小野", "オノ", "ono"), ("丸山", "マルヤマ", "maruyama"),
    ("今井", "イマイ", "imai"), ("河野", "コウノ", "kono"), ("藤井", "フジイ", "fujii"),
    ("武田", "タケダ", "takeda"), ("上田", "ウエダ", "ueda"), ("杉山", "スギヤマ", "sugiyama"),
    ("千葉", "チバ", "chiba"), ("村田", "ムラタ", "murata"), ("増田", "マスダ", "masuda"),
    ("小島", "コジマ", "kojima"),
]
# Only used for the deliberate near-miss: a different family from 佐々木.
SASAKI_ALT = ("佐佐木", "ササキ", "sasaki")

GIVEN = [
    ("太郎", "タロウ", "taro"), ("一郎", "イチロウ", "ichiro"), ("健太", "ケンタ", "kenta"),
    ("翔太", "ショウタ", "shota"), ("大輔", "ダイスケ", "daisuke"), ("誠", "マコト", "makoto"),
    ("浩", "ヒロシ", "hiroshi"), ("隆", "タカシ", "takashi"), ("修", "オサム", "osamu"),
    ("学", "マナブ", "manabu"), ("直樹", "ナオキ", "naoki"), ("和也", "カズヤ", "kazuya"),
    ("拓也", "タクヤ", "takuya"), ("雄一", "ユウイチ", "yuichi"), ("健一", "ケンイチ", "kenichi"),
    ("勇気", "ユウキ", "yuki"), ("蓮", "レン", "ren"), ("悠真", "ユウマ", "yuma"),
    ("正男", "マサオ", "masao"), ("茂", "シゲル", "shigeru"), ("清", "キヨシ", "kiyoshi"),
    ("花子", "ハナコ", "hanako"), ("恵子", "ケイコ", "keiko"), ("幸子", "サチコ", "sachiko"),
    ("洋子", "ヨウコ", "yoko"), ("美穂", "ミホ", "miho"), ("由美", "ユミ", "yumi"),
    ("裕子", "ユウコ", "yuko"), ("久美子", "クミコ", "kumiko"), ("真由美", "マユミ", "mayumi"),
    ("愛", "アイ", "ai"), ("陽子", "ヨウコ", "yoko"), ("菜々子", "ナナコ", "nanako"),
    ("奈々", "ナナ", "nana"), ("美咲", "ミサキ", "misaki"), ("さくら", "サクラ", "sakura"),
    ("結衣", "ユイ", "yui"), ("千尋", "チヒロ", "chihiro"), ("智子", "トモコ", "tomoko"),
    ("明美", "アケミ", "akemi"), ("直美", "ナオミ", "naomi"), ("玲奈", "レイナ", "reina"),
    ("凛", "リン", "rin"), ("節子", "セツコ", "setsuko"), ("和子", "カズコ", "kazuko"),
]

# Foreign residents, written in Latin letters with a katakana reading
# (several readings carry ー or a middle dot).
LATIN = [
    ("SMITH", "JOHN", "スミス", "ジョン"), ("NGUYEN VAN", "AN", "グエン・ヴァン", "アン"),
    ("TAYLOR", "LUCY", "テイラー", "ルーシー"), ("GARCIA", "MARIA", "ガルシア", "マリア"),
    ("SILVA", "PEDRO", "シルバ", "ペドロ"), ("MILLER", "GEORGE", "ミラー", "ジョージ"),
    ("SANTOS", "ANA", "サントス", "アナ"), ("LOPEZ", "CARLOS", "ロペス", "カルロス"),
    ("BROWN", "EMILY", "ブラウン", "エミリー"), ("PEREIRA", "LUCAS", "ペレイラ", "ルーカス"),
    ("WILSON", "MARY", "ウィルソン", "メアリー"), ("OLIVEIRA", "JOAO", "オリベイラ", "ジョアン"),
]

DISTRICTS = ["本町", "栄町", "若葉台", "緑町", "旭町", "港町", "桜ケ丘", "東山", "西浜",
             "中央", "北町", "南町", "松原", "柳町", "宮前"]
BUILDINGS = ["コーポ{d}", "メゾン{t}", "ハイツ{d}", "{d}マンション", "グリーンハイツ", "サンシャイン{d}"]
DOMAINS = ["example.jp", "example.ne.jp", "example.co.jp", "example.com", "example.net", "example.org"]

LIBS = {
    # key: (Japanese name, English name, town, postal prefix, area code)
    "minatokita": ("湊北市立図書館", "Minato-kita City Library", "湊北市", "457", "0564"),
    "kasumida": ("霞田町立図書館", "Kasumida Town Library", "霞田町", "889", "0565"),
    "shiohama": ("潮浜市立図書館", "Shiohama City Library", "潮浜市", "458", "0566"),
    "hoshinooka": ("星野丘市立図書館", "Hoshino-oka City Library", "星野丘市", "467", "0567"),
    "midorigase": ("緑ヶ瀬村図書館", "Midorigase Village Library", "緑ヶ瀬村", "399", "0568"),
    "shirasagidai": ("白鷺台市立図書館", "Shirasagidai City Library", "白鷺台市", "367", "0569"),
    "tsubakihara": ("椿原町立図書館", "Tsubakihara Town Library", "椿原町", "386", "0562"),
}
PREFIX = {"minatokita": "MK", "kasumida": "KS", "shiohama": "SH", "hoshinooka": "HO",
          "midorigase": "MI", "shirasagidai": "SS", "tsubakihara": "TB"}

# Timeline (all dates fictional).
OVERDUE_SNAPSHOT = dt.date(2008, 10, 1)   # the vendor copies Minato-kita's overdue list
KASUMIDA_SNAPSHOT = dt.date(2008, 8, 1)
BATCH = {"shirasagidai": dt.date(2008, 11, 4), "shiohama": dt.date(2009, 3, 16),
         "hoshinooka": dt.date(2009, 6, 1), "midorigase": dt.date(2009, 8, 24)}
EXPORT_DAY = dt.date(2010, 5, 31)

# ---------------------------------------------------------------------------
# Character-level helpers.


def nfkc(s):
    return unicodedata.normalize("NFKC", s)


def fullwidth(s):
    out = []
    for c in s:
        if c == " ":
            out.append("\u3000")
        elif "!" <= c <= "~":
            out.append(chr(ord(c) + 0xFEE0))
        else:
            out.append(c)
    return "".join(out)


def fullwidth_digits(s):
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and (c.isdigit() or c == "-") else c for c in s)


_HALF = {}
for _cp in range(0xFF61, 0xFFA0):
    _full = nfkc(chr(_cp))
    if len(_full) == 1 and _full not in _HALF:
        _HALF[_full] = chr(_cp)
_HALF["\u3099"] = "\uFF9E"
_HALF["\u309A"] = "\uFF9F"
_HALF["\u3000"] = " "


def halfwidth_kana(s):
    out = []
    for c in unicodedata.normalize("NFD", s):
        out.append(_HALF.get(c, c))
    r = "".join(out)
    assert nfkc(r) == nfkc(s).replace("\u3000", " "), (s, r)
    return r


def hiragana(s):
    return "".join(chr(ord(c) - 0x60) if "\u30A1" <= c <= "\u30F6" else c for c in s)


def titlecase(s):
    return " ".join(w[:1] + w[1:].lower() for w in s.split(" "))


# ---------------------------------------------------------------------------
# Dates.

ERAS = [("平成", "H", dt.date(1989, 1, 8)), ("昭和", "S", dt.date(1926, 12, 25))]


def era(d):
    for kanji, letter, start in ERAS:
        if d >= start:
            return kanji, letter, d.year - start.year + 1
    raise ValueError(d)


def fmt_date(d, style):
    if style == "iso":
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    if style == "slash_padded":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "compact":
        return f"{d.year:04d}{d.month:02d}{d.day:02d}"
    kanji, letter, y = era(d)
    if style == "wareki_kanji":
        return f"{kanji}{'元' if y == 1 else y}年{d.month}月{d.day}日"
    if style == "wareki_abbrev":
        return f"{letter}{y}.{d.month}.{d.day}"
    raise ValueError(style)


# ---------------------------------------------------------------------------
# People.


class Person:
    def __init__(self, pid, home):
        self.pid = pid
        self.home = home
        self.latin = None      # (FAMILY, GIVEN, kana family, kana given)
        self.fam = None        # (kanji, kana, romaji)
        self.giv = None
        self.birth = None
        self.phone = None      # tuple of digit groups
        self.postal = None     # (3 digits, 4 digits)
        self.addr = None       # (town, district, chome, ban, go)
        self.building = None
        self.two_line = False  # building on a second line (embedded newline)
        self.email = None
        self.reg = None        # registration date at the home library

    # canonical pieces
    def name(self, sep):
        if self.latin:
            return self.latin[0] + sep + self.latin[1]
        return self.fam[0] + sep + self.giv[0]

    def kana(self, sep):
        if self.latin:
            return self.latin[2] + sep + self.latin[3]
        return self.fam[1] + sep + self.giv[1]

    def name_key(self):
        return self.name("").lower()

    def kana_key(self):
        return hiragana(self.kana("")).replace("・", "")

    def phone_digits(self):
        return "".join(self.phone)

    def mobile(self):
        return self.phone[0] in ("090", "080", "070")


class World:
    def __init__(self, rng):
        self.rng = rng
        self.people = []
        self.counter = {}
        self.names = {}        # kanji/latin full name -> pid
        self.kanas = {}        # kana full name -> pid
        self.phones = {}
        self.emails = {}
        self.latin_used = []

    def new_pid(self, home):
        n = self.counter.get(home, 0) + 1
        self.counter[home] = n
        return f"{PREFIX[home]}-{n:03d}"

    def person(self, home, fam=None, giv=None, latin=None, birth=None, phone=None,
               landline=None, reg_range=None, email=None, share_name=False, share_phone=False,
               building=None):
        rng = self.rng
        p = Person(self.new_pid(home), home)
        # name: unique kanji name and unique kana name, unless a near-miss is intended
        for _ in range(10000):
            if latin is not None:
                p.latin, p.fam, p.giv = latin, None, None
            elif fam is not None or giv is not None:
                p.fam = fam or rng.choice(FAMILY)
                p.giv = giv or rng.choice(GIVEN)
            elif rng.random() < 0.03 and len(self.latin_used) < len(LATIN):
                choice = [x for x in LATIN if x not in self.latin_used and x not in RESERVED_LATIN]
                if not choice:
                    continue
                p.latin = rng.choice(choice)
            else:
                p.fam, p.giv = rng.choice(FAMILY), rng.choice(GIVEN)
                if (p.fam[0], p.giv[0]) in RESERVED_NAMES:
                    continue
                if home in NO_TAKA and "髙" in p.fam[0]:
                    continue
            if share_name or (p.name_key() not in self.names and p.kana_key() not in self.kanas):
                break
            if latin is not None or (fam is not None and giv is not None):
                raise RuntimeError(f"name already taken: {p.name(' ')}")
        else:
            raise RuntimeError("could not draw a unique name")
        if p.latin:
            self.latin_used.append(p.latin)
        self.names.setdefault(p.name_key(), p.pid)
        self.kanas.setdefault(p.kana_key(), p.pid)
        # birth date: 1930..2004 (library patrons aged 5 to 80 in 2009)
        # and registered at three at the earliest
        reg_lo, reg_hi = reg_range or (dt.date(1995, 4, 1), EXPORT_DAY)
        if birth is None:
            lo = dt.date(1930, 1, 1).toordinal()
            hi = min(dt.date(2004, 12, 31), reg_hi.replace(year=reg_hi.year - 3)).toordinal()
            birth = dt.date.fromordinal(rng.randint(lo, hi))
        p.birth = birth
        # phone: globally unique unless shared on purpose
        _, _, town, pfx, area = LIBS[home]
        while phone is None:
            if landline if landline is not None else rng.random() < 0.3:
                cand = (area, f"{rng.randint(10, 99)}", f"{rng.randint(0, 9999):04d}")
            else:
                head = rng.choice(["090", "090", "090", "080", "080", "070"])
                cand = (head, f"{rng.randint(1000, 9999)}", f"{rng.randint(0, 9999):04d}")
            if "".join(cand) not in self.phones:
                phone = cand
        if "".join(phone) in self.phones and not share_phone:
            raise RuntimeError("phone already taken")
        self.phones.setdefault("".join(phone), p.pid)
        p.phone = phone
        # address in the home town
        di = rng.randrange(len(DISTRICTS))
        p.addr = (town, DISTRICTS[di], rng.randint(1, 5), rng.randint(1, 30), rng.randint(1, 25))
        p.postal = (pfx, f"{(di + 1) * 10 + rng.randint(0, 9):04d}")
        if building is None and rng.random() < 0.15:
            b = rng.choice(BUILDINGS).format(d=rng.choice(DISTRICTS), t=town[:-1])
            building = f"{b} {rng.randint(1, 5)}0{rng.randint(1, 9)}"
        p.building = building
        # e-mail for about half of the people
        if email is None and rng.random() < 0.5:
            for _ in range(100):
                if p.latin:
                    local = p.latin[1].lower() + "." + p.latin[0].split(" ")[0].lower()
                else:
                    local = p.giv[2] + rng.choice([".", "_", ""]) + p.fam[2]
                local += rng.choice(["", str(p.birth.year % 100), str(rng.randint(1, 999))])
                cand = f"{local}@{rng.choice(DOMAINS)}"
                if cand not in self.emails:
                    email = cand
                    break
        if email:
            self.emails[email] = p.pid
        p.email = email
        # registration date at the home library
        reg_lo = max(reg_lo, dt.date(birth.year + 3, birth.month, min(birth.day, 28)))
        assert reg_lo <= reg_hi, (p.pid, birth, reg_range)
        p.reg = dt.date.fromordinal(rng.randint(reg_lo.toordinal(), reg_hi.toordinal()))
        self.people.append(p)
        return p


RESERVED_NAMES = [("田中", "太郎"), ("佐々木", "太郎"), ("髙橋", "一郎"), ("高橋", "一郎"),
                  ("野々村", "奈々"), ("佐々木", "恵子")]
RESERVED_LATIN = [LATIN[0], LATIN[1], LATIN[2]]
# Kasumida's patrons end up in Shirasagidai, whose EUC-JP twin cannot hold 髙 (not in JIS X 0208).
NO_TAKA = ["kasumida", "shirasagidai"]


def fam(kanji):
    for f in FAMILY + [SASAKI_ALT]:
        if f[0] == kanji:
            return f
    raise KeyError(kanji)


def giv(kanji):
    for g in GIVEN:
        if g[0] == kanji:
            return g
    raise KeyError(kanji)


# ---------------------------------------------------------------------------
# Vendor export styles. Each returns (row values in header order, variation labels).
# A library's own patrons and the copies planted in it go through the same style:
# the planted rows look like the receiving system, not like the origin.

def addr_text(p, style, building_sep=" "):
    town, district, chome, ban, go = p.addr
    if style == "chome":
        s = f"{town}{district}{chome}丁目{ban}-{go}"
    elif style == "hyphen":
        s = f"{town}{district}{chome}-{ban}-{go}"
    elif style == "banchi":
        s = f"{town}{district}{chome}丁目{ban}番{go}号"
    elif style == "fullwidth":
        s = f"{town}{district}{fullwidth_digits(str(chome))}丁目{fullwidth_digits(f'{ban}-{go}')}"
    else:
        raise ValueError(style)
    if p.building:
        b = p.building if style != "fullwidth" else fullwidth(p.building)
        s += building_sep + b
    return s


def phone_text(p, style):
    g = p.phone
    if style == "hyphen":
        return "-".join(g)
    if style == "digits":
        return "".join(g)
    if style == "paren":
        return f"{g[0]}({g[1]}){g[2]}"
    if style == "fullwidth_paren":
        return fullwidth(f"{g[0]}({g[1]}){g[2]}")
    if style == "plus81":
        return f"+81 {g[0][1:]} {g[1]} {g[2]}"
    raise ValueError(style)


def postal_text(p, style):
    a, b = p.postal
    return {"hyphen": f"{a}-{b}", "digits": f"{a}{b}", "mark_hyphen": f"〒{a}-{b}",
            "mark_digits": f"〒{a}{b}", "fullwidth_mark": "〒" + fullwidth(f"{a}-{b}")}[style]


def pick(rng, table):
    """table: list of (label, weight); returns a label."""
    total = sum(w for _, w in table)
    x = rng.random() * total
    for label, w in table:
        x -= w
        if x < 0:
            return label
    return table[-1][0]


def name_variant(p, label):
    if p.latin:
        if label == "latin_upper_ascii_space":
            return p.name(" ")
        if label == "latin_titlecase":
            return titlecase(p.name(" "))
        if label == "latin_fullwidth":
            return fullwidth(p.name(" "))
        if label == "latin_upper_ideographic_space":
            return p.name("\u3000")
        raise ValueError(label)
    return p.name({"ascii_space": " ", "ideographic_space": "\u3000", "no_space": ""}[label])


def kana_variant(p, script, space):
    sep = {"ascii_space": " ", "ideographic_space": "\u3000", "no_space": ""}[space]
    k = p.kana(sep)
    if script == "katakana":
        return k
    if script == "hiragana":
        return hiragana(k)
    if script == "halfwidth":
        return halfwidth_kana(k)
    raise ValueError(script)


class Style:
    """One vendor installation's export format."""

    def __init__(self, key, header, delimiter=",", bom=False, crlf=False, ext="csv"):
        self.key, self.header, self.delimiter = key, header, delimiter
        self.bom, self.crlf, self.ext = bom, crlf, ext

    @property
    def file(self):
        return f"{self.key}.{self.ext}"


def style_minatokita(rng, p, ctx):
    v = {"name": "latin_upper_ascii_space" if p.latin else "ideographic_space",
         "kana": "katakana/ideographic_space", "birthdate": "iso", "phone": "hyphen", "postal": "hyphen"}
    row = [ctx["id"], name_variant(p, v["name"]), kana_variant(p, "katakana", "ideographic_space"),
           fmt_date(p.birth, "iso"), phone_text(p, "hyphen"), postal_text(p, "hyphen"),
           addr_text(p, "chome", "\n" if p.two_line else " "), fmt_date(ctx["reg"], "iso")]
    return row, v


def style_kasumida(rng, p, ctx):
    v = {"name": "latin_upper_ascii_space" if p.latin else "ascii_space",
         "kana": "katakana/ascii_space", "birthdate": "slash_padded", "phone": "hyphen", "postal": "hyphen"}
    row = [ctx["id"], name_variant(p, v["name"]), kana_variant(p, "katakana", "ascii_space"),
           fmt_date(p.birth, "slash_padded"), phone_text(p, "hyphen"), p.email or "",
           postal_text(p, "hyphen"), addr_text(p, "hyphen"), fmt_date(ctx["reg"], "slash_padded")]
    return row, v


def style_shiohama(rng, p, ctx):
    if p.latin:
        nv = "latin_titlecase"
    else:
        nv = pick(rng, [("ascii_space", 60), ("no_space", 25), ("ideographic_space", 15)])
    ks = pick(rng, [("ascii_space", 80), ("no_space", 20)])
    if p.mobile():
        pv = pick(rng, [("digits", 70), ("plus81", 20), ("hyphen", 10)])
    else:
        pv = pick(rng, [("digits", 60), ("plus81", 40)])
    v = {"name": nv, "kana": f"halfwidth/{ks}", "birthdate": "compact", "phone": pv, "postal": "digits"}
    email = "" if ctx["planted"] else ((p.email or "") if rng.random() < 0.6 else "")
    row = [ctx["id"], name_variant(p, nv), kana_variant(p, "halfwidth", ks), fmt_date(p.birth, "compact"),
           phone_text(p, pv), postal_text(p, "digits"), addr_text(p, "hyphen"), email,
           fmt_date(ctx["reg"], "iso")]
    return row, v


def style_hoshinooka(rng, p, ctx):
    nv = "latin_upper_ideographic_space" if p.latin else pick(rng, [("no_space", 50), ("ideographic_space", 50)])
    ks = pick(rng, [("ideographic_space", 50), ("no_space", 50)])
    pv = pick(rng, [("fullwidth_paren", 40), ("hyphen", 40), ("paren", 20)])
    zv = pick(rng, [("mark_hyphen", 60), ("fullwidth_mark", 20), ("hyphen", 20)])
    v = {"name": nv, "kana": f"hiragana/{ks}", "birthdate": "wareki_kanji", "phone": pv, "postal": zv}
    email = "" if ctx["planted"] else ((p.email or "") if rng.random() < 0.4 else "")
    row = [ctx["id"], name_variant(p, nv), kana_variant(p, "hiragana", ks), fmt_date(p.birth, "wareki_kanji"),
           phone_text(p, pv), postal_text(p, zv), addr_text(p, "fullwidth", "\u3000"), email, ctx.get("note", "")]
    return row, v


def style_midorigase(rng, p, ctx):
    nv = "latin_fullwidth" if p.latin else pick(rng, [("ascii_space", 50), ("ideographic_space", 50)])
    pv = pick(rng, [("plus81", 50), ("hyphen", 50)]) if p.mobile() else "plus81"
    zv = pick(rng, [("mark_digits", 50), ("digits", 50)])
    v = {"name": nv, "kana": "katakana/ascii_space", "birthdate": "slash", "phone": pv, "postal": zv}
    row = [ctx["id"], name_variant(p, nv), kana_variant(p, "katakana", "ascii_space"), fmt_date(p.birth, "slash"),
           phone_text(p, pv), postal_text(p, zv), addr_text(p, "banchi"), fmt_date(ctx["reg"], "slash")]
    return row, v


def style_shirasagidai(rng, p, ctx):
    nv = "latin_upper_ascii_space" if p.latin else "ideographic_space"
    ks = pick(rng, [("no_space", 60), ("ideographic_space", 40)])
    pv = pick(rng, [("hyphen", 70), ("paren", 30)])
    email = p.email or ""
    if ctx["planted"] and email and rng.random() < 0.5:
        local, domain = email.split("@")
        email = local[:1].upper() + local[1:] + "@" + domain.upper()
    elif not ctx["planted"] and rng.random() < 0.5:
        email = ""
    v = {"name": nv, "kana": f"katakana/{ks}", "birthdate": "wareki_abbrev", "phone": pv, "postal": "hyphen"}
    row = [fmt_date(ctx["reg"], "slash_padded"), ctx["id"], name_variant(p, nv), kana_variant(p, "katakana", ks),
           fmt_date(p.birth, "wareki_abbrev"), phone_text(p, pv), postal_text(p, "hyphen"),
           addr_text(p, "chome"), email]
    return row, v


def style_tsubakihara(rng, p, ctx):
    dv = pick(rng, [("iso", 50), ("wareki_abbrev", 50)])
    zv = pick(rng, [("hyphen", 70), ("mark_hyphen", 30)])
    v = {"name": "ideographic_space", "kana": "katakana/ideographic_space", "birthdate": dv, "phone": "hyphen",
         "postal": zv}
    addr = addr_text(p, "chome")
    if ctx.get("annex"):
        addr += ", 離れ"
    row = [ctx["id"], name_variant(p, "latin_upper_ideographic_space" if p.latin else "ideographic_space"),
           kana_variant(p, "katakana", "ideographic_space"), fmt_date(p.birth, dv), phone_text(p, "hyphen"),
           postal_text(p, zv), addr]
    return row, v


STYLES = {
    "minatokita": (Style("minatokita", ["利用者番号", "氏名", "フリガナ", "生年月日", "電話番号", "郵便番号", "住所", "登録日"]),
                   style_minatokita),
    "kasumida": (Style("kasumida", ["card_no", "name", "name_kana", "birthdate", "phone", "email", "zip", "address",
                                    "registered"]), style_kasumida),
    "shiohama": (Style("shiohama", ["user_id", "full_name", "name_kana", "dob", "tel", "zip", "address", "email",
                                    "registered"], bom=True), style_shiohama),
    "hoshinooka": (Style("hoshinooka", ["カード番号", "名前", "カナ", "生年月日", "電話", "〒", "住所", "メール", "備考"],
                         crlf=True), style_hoshinooka),
    "midorigase": (Style("midorigase", ["id", "name", "name_kana", "birthdate", "phone", "zip", "address", "registered"],
                         delimiter="\t", ext="tsv"), style_midorigase),
    "shirasagidai": (Style("shirasagidai", ["登録日", "利用者番号", "氏名", "カナ", "生年月日", "電話番号", "郵便番号", "住所",
                                            "メール"]), style_shirasagidai),
    "tsubakihara": (Style("tsubakihara", ["id", "氏名", "フリガナ", "dob", "電話番号", "zip", "住所"], bom=True, crlf=True),
                    style_tsubakihara),
}
ORDER = ["minatokita", "kasumida", "shiohama", "hoshinooka", "midorigase", "shirasagidai", "tsubakihara"]

ROLES = {
    "利用者番号": "id", "カード番号": "id", "card_no": "id", "user_id": "id", "id": "id",
    "氏名": "name", "名前": "name", "name": "name", "full_name": "name",
    "フリガナ": "kana", "カナ": "kana", "name_kana": "kana",
    "生年月日": "birthdate", "birthdate": "birthdate", "dob": "birthdate",
    "電話番号": "phone", "電話": "phone", "tel": "phone", "phone": "phone",
    "メール": "email", "email": "email",
    "郵便番号": "postal", "〒": "postal", "zip": "postal",
    "住所": "address", "address": "address",
    "登録日": None, "registered": None, "備考": None,
}

# ---------------------------------------------------------------------------
# Reference keyers (DESIGN.md section 4), used only to check the output.

_HYPHENS = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE63\uFF0D]")


def k_text(s):
    s = nfkc(s).casefold()
    s = _HYPHENS.sub("-", s)
    return re.sub(r"[ \u3000]+", " ", s).strip()


def k_name(s):
    return re.sub("[ \u3000・·]", "", k_text(s))


def k_kana(s):
    return hiragana(k_name(s))


def k_digits(s):
    return "".join(c for c in nfkc(s) if c.isdigit())


def k_phone(s):
    d = k_digits(s)
    if s.strip().startswith("+81") or (d.startswith("81") and len(d) in (11, 12)):
        d = "0" + d[2:]
    return d


def k_date(s):
    s = nfkc(s).strip()
    m = (re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s) or re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", s)
         or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s))
    if m:
        y, mo, d = (int(x) for x in m.groups())
    else:
        m = re.fullmatch(r"(昭和|平成|令和)(\d+|元)年(\d+)月(\d+)日", s) or re.fullmatch(r"([SHR])(\d+)\.(\d+)\.(\d+)", s)
        if not m:
            return None
        base = {"昭和": 1925, "S": 1925, "平成": 1988, "H": 1988, "令和": 2018, "R": 2018}[m.group(1)]
        y = base + (1 if m.group(2) == "元" else int(m.group(2)))
        mo, d = int(m.group(3)), int(m.group(4))
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def k_postal(s):
    return k_digits(s)


KEYERS = {"name": k_name, "kana": k_kana, "date": k_date, "phone": k_phone, "digits": k_digits,
          "email": lambda s: s.strip().lower(), "postal": k_postal, "text": k_text}

RECIPES = {
    "person": [("name", "name"), ("birthdate", "date"), ("phone", "phone")],
    "person_kana": [("kana", "kana"), ("birthdate", "date"), ("phone", "phone")],
    "name_birth": [("name", "name"), ("birthdate", "date")],
    "kana_birth": [("kana", "kana"), ("birthdate", "date")],
}

# ---------------------------------------------------------------------------
# Building the case.


def build(rng):
    w = World(rng)
    cases = {}  # library -> list of row specs: dict(person, planted_from, ctx)

    # --- Origin A: Minato-kita. 163 on the overdue list (registered before the
    # snapshot) and 3 registered later, so never copied.
    snap_range = (dt.date(1995, 4, 1), OVERDUE_SNAPSHOT - dt.timedelta(days=30))
    mk = []
    forced = {}
    forced["sasaki_taro"] = w.person("minatokita", fam("佐々木"), giv("太郎"), birth=dt.date(1975, 4, 3),
                                     reg_range=snap_range)
    forced["tanaka_taro"] = w.person("minatokita", fam("田中"), giv("太郎"), reg_range=snap_range)
    forced["taka_ichiro"] = w.person("minatokita", fam("髙橋"), giv("一郎"), birth=dt.date(1962, 11, 20),
                                     reg_range=snap_range)
    forced["nonomura"] = w.person("minatokita", fam("野々村"), giv("奈々"), reg_range=snap_range)
    forced["smith"] = w.person("minatokita", latin=LATIN[0], reg_range=snap_range)
    forced["nguyen"] = w.person("minatokita", latin=LATIN[1], reg_range=snap_range)
    forced["taylor"] = w.person("minatokita", latin=LATIN[2], reg_range=snap_range)
    forced["showa64"] = w.person("minatokita", birth=dt.date(1989, 1, 7), reg_range=snap_range)
    forced["heisei1"] = w.person("minatokita", birth=dt.date(1989, 6, 15), reg_range=snap_range)
    forced["landline"] = w.person("minatokita", landline=True, reg_range=snap_range)
    forced["twoline"] = w.person("minatokita", building="コーポ若葉 201", reg_range=snap_range)
    forced["twoline"].two_line = True
    overdue = list(forced.values())
    while len(overdue) < 163:
        overdue.append(w.person("minatokita", reg_range=snap_range))
    late = [w.person("minatokita", reg_range=(dt.date(2009, 1, 5), dt.date(2010, 4, 30))) for _ in range(3)]
    late[0].building, late[0].two_line = "メゾン湊北 305", True
    for p in overdue + late:
        mk.append(p)
    mk.sort(key=lambda p: (p.reg, p.pid))
    cases["minatokita"] = [dict(person=p, planted_from=None, ctx={}) for p in mk]

    # Which overdue patrons went where.
    must_d = [forced[k] for k in ("sasaki_taro", "tanaka_taro", "taka_ichiro", "taylor", "showa64", "heisei1",
                                  "landline", "twoline")]
    must_e = [forced[k] for k in ("sasaki_taro", "nonomura", "smith", "nguyen", "landline")]
    rest = [p for p in overdue if p not in must_d and p not in must_e]
    rng.shuffle(rest)
    to_d = must_d + rest[:40 - len(must_d)]
    # E's 12: the forced five, 3 more that D also got, 4 that only C got
    d_only = [p for p in to_d if p not in must_e and p not in must_d]
    to_e = must_e + d_only[:3] + [p for p in rest[40 - len(must_d):] if p not in must_e][:4]
    assert len(to_d) == 40 and len(to_e) == 12 and len(set(x.pid for x in to_e)) == 12
    mk_line_order = {p.pid: i for i, p in enumerate(mk)}
    to_c = sorted(overdue, key=lambda p: mk_line_order[p.pid])

    # --- Origin B: Kasumida, 72 patrons; 25 registered before its snapshot are copied to Shirasagidai.
    ks_early = [w.person("kasumida", reg_range=(dt.date(1998, 4, 1), KASUMIDA_SNAPSHOT)) for _ in range(40)]
    ks_forced = {}
    ks_forced["sasaki_keiko"] = w.person("kasumida", fam("佐々木"), giv("恵子"), birth=dt.date(1958, 2, 14),
                                         reg_range=(dt.date(1998, 4, 1), KASUMIDA_SNAPSHOT))
    ks_forced["tanaka_taro"] = w.person("kasumida", fam("田中"), giv("太郎"), share_name=True,
                                        reg_range=(dt.date(1998, 4, 1), KASUMIDA_SNAPSHOT))
    ks_early += list(ks_forced.values())
    ks_late = [w.person("kasumida", reg_range=(KASUMIDA_SNAPSHOT + dt.timedelta(days=1), EXPORT_DAY))
               for _ in range(72 - len(ks_early))]
    ks = sorted(ks_early + ks_late, key=lambda p: (p.reg, p.pid))
    cases["kasumida"] = [dict(person=p, planted_from=None, ctx={}) for p in ks]
    pool = [p for p in ks_early if p is not ks_forced["tanaka_taro"]]
    rng.shuffle(pool)
    to_f = [ks_forced["sasaki_keiko"]] + [p for p in pool if p is not ks_forced["sasaki_keiko"]][:24]
    ks_order = {p.pid: i for i, p in enumerate(ks)}
    to_f.sort(key=lambda p: ks_order[p.pid])

    decoys = []  # (kind, origin person, decoy person, note)

    def decoy(kind, target, home, note, **kw):
        d = w.person(home, **kw)
        decoys.append(dict(kind=kind, a=target, b=d, note=note))
        return d

    # --- Receivers' own patrons, with decoys among them.
    own = {k: [] for k in ("shiohama", "hoshinooka", "midorigase", "shirasagidai", "tsubakihara")}
    planted_targets = [p for p in overdue if p not in forced.values()]
    not_planted_mk = late

    # Common name: 田中 太郎 at Minato-kita (planted to C and D), Kasumida, and as own patrons of C, D, F, G.
    tanaka_group = [forced["tanaka_taro"], ks_forced["tanaka_taro"]]
    for home in ("shiohama", "hoshinooka", "shirasagidai", "tsubakihara"):
        t = w.person(home, fam("田中"), giv("太郎"), share_name=True)
        own[home].append(t)
        tanaka_group.append(t)

    # Same name, different birth date (and phone).
    t1 = planted_targets[5]
    own["tsubakihara"].append(decoy("same_name_different_birthdate", t1, "tsubakihara",
                                    "same name and reading, different birth date and phone",
                                    fam=t1.fam, giv=t1.giv, share_name=True))
    own["hoshinooka"].append(decoy("same_name_different_birthdate", forced["taka_ichiro"], "hoshinooka",
                                   "髙橋 一郎 with another birth date, in the same file as the planted copy of "
                                   "Minato-kita's 髙橋 一郎", fam=fam("髙橋"), giv=giv("一郎"), share_name=True,
                                   birth=dt.date(1971, 7, 9)))
    # Same name and birth date, different phone.
    t2 = planted_targets[11]
    own["shiohama"].append(decoy("same_name_birthdate_different_phone", t2, "shiohama",
                                 "same name, reading and birth date; different phone and address",
                                 fam=t2.fam, giv=t2.giv, birth=t2.birth, share_name=True, landline=not t2.mobile()))
    t3 = not_planted_mk[1]
    own["tsubakihara"].append(decoy("same_name_birthdate_different_phone", t3, "tsubakihara",
                                    "same name, reading and birth date; different phone; the Minato-kita "
                                    "patron was never copied", fam=t3.fam, giv=t3.giv, birth=t3.birth,
                                    share_name=True))
    t4 = [p for p in to_f if p is not ks_forced["sasaki_keiko"]][3]
    own["tsubakihara"].append(decoy("same_name_birthdate_different_phone", t4, "tsubakihara",
                                    "same name, reading and birth date as a Kasumida patron; different phone",
                                    fam=t4.fam, giv=t4.giv, birth=t4.birth, share_name=True))
    # 佐々木 / 佐佐木: different families, same reading and birth date, different phone.
    own["tsubakihara"].append(decoy("odoriji_variant", forced["sasaki_taro"], "tsubakihara",
                                    "佐佐木 vs 佐々木: same reading ササキ タロウ and birth date, different phone",
                                    fam=SASAKI_ALT, giv=giv("太郎"), birth=forced["sasaki_taro"].birth,
                                    share_name=True))
    own["shirasagidai"].append(decoy("odoriji_variant", ks_forced["sasaki_keiko"], "shirasagidai",
                                     "佐佐木 恵子 vs Kasumida's 佐々木 恵子 (planted in this same file): same reading "
                                     "and birth date, different phone", fam=SASAKI_ALT, giv=giv("恵子"),
                                     birth=ks_forced["sasaki_keiko"].birth, share_name=True))
    # 髙 / 高: same reading and birth date, different phone.
    own["tsubakihara"].append(decoy("itaiji_variant", forced["taka_ichiro"], "tsubakihara",
                                    "高橋 vs 髙橋: same reading and birth date, different phone",
                                    fam=fam("高橋"), giv=giv("一郎"), birth=forced["taka_ichiro"].birth,
                                    share_name=True))
    # Same mobile number, different person (the number was later reassigned).
    t5 = next(p for p in planted_targets[20:] if p.mobile())
    own["tsubakihara"].append(decoy("same_phone_different_person", t5, "tsubakihara",
                                    "same mobile number (reassigned), different name and birth date",
                                    phone=t5.phone, share_phone=True))

    sizes = {"shiohama": 140, "hoshinooka": 210, "midorigase": 64, "shirasagidai": 180, "tsubakihara": 95}
    for home, n in sizes.items():
        if home == "hoshinooka":  # make sure an own patron carries 髙 too
            if not any(p.fam and "髙" in p.fam[0] for p in own[home]):
                own[home].append(w.person(home, fam("髙木")))
        while len(own[home]) < n:
            own[home].append(w.person(home))

    # --- Assemble each receiver's file.
    def rows(seq):
        return [dict(person=p, planted_from=src, ctx={}) for p, src in seq]

    # Shiohama: ordered by registration; the 163 arrive as one block on the batch day and keep their
    # Minato-kita card numbers.
    c_own = sorted(own["shiohama"], key=lambda p: (p.reg, p.pid))
    before = [p for p in c_own if p.reg < BATCH["shiohama"]]
    after = [p for p in c_own if p.reg >= BATCH["shiohama"]]
    cases["shiohama"] = rows([(p, None) for p in before] + [(p, "minatokita") for p in to_c] +
                             [(p, None) for p in after])
    # Hoshino-oka: ordered by reading, so the 40 are spread through the file.
    d_all = [(p, None) for p in own["hoshinooka"]] + [(p, "minatokita") for p in to_d]
    d_all.sort(key=lambda x: (hiragana(x[0].kana("")), x[0].pid))
    cases["hoshinooka"] = rows(d_all)
    # Midorigase: the vendor handed out card numbers at random; the file is ordered by card number.
    e_all = [(p, None) for p in own["midorigase"]] + [(p, "minatokita") for p in to_e]
    rng.shuffle(e_all)
    cases["midorigase"] = rows(e_all)
    # Shirasagidai: ordered by registration; the 25 from Kasumida arrive on the batch day.
    f_own = sorted(own["shirasagidai"], key=lambda p: (p.reg, p.pid))
    cases["shirasagidai"] = rows([(p, None) for p in f_own if p.reg < BATCH["shirasagidai"]] +
                                 [(p, "kasumida") for p in to_f] +
                                 [(p, None) for p in f_own if p.reg >= BATCH["shirasagidai"]])
    # Tsubakihara: clean, ordered by card number (= registration order).
    cases["tsubakihara"] = rows([(p, None) for p in sorted(own["tsubakihara"], key=lambda p: (p.reg, p.pid))])

    return w, cases, decoys, tanaka_group, dict(to_c=to_c, to_d=to_d, to_e=to_e, to_f=to_f, late=late)


HOSHINOOKA_NOTES = ["督促済, 電話不通", "住所変更あり, 要確認", "①延滞 平日10時～12時に連絡可", '要連絡 "至急"',
                    "電話不通\n住所要確認", "予約本あり", "団体貸出"]


def assign_ids(rng, key, specs):
    n = len(specs)
    if key == "minatokita":
        for i, s in enumerate(specs):
            s["ctx"]["id"] = f"2100{10000 + i * 37:06d}"
    elif key == "kasumida":
        for i, s in enumerate(specs):
            s["ctx"]["id"] = f"K{1001 + i * 3:05d}"
    elif key == "shiohama":
        k = 0
        for s in specs:
            if s["planted_from"]:
                s["ctx"]["id"] = None  # filled from the origin below
            else:
                s["ctx"]["id"] = f"58{100000 + k * 53:06d}"
                k += 1
    elif key == "hoshinooka":
        nums = rng.sample(range(1, 9999), n)
        for s, x in zip(specs, nums):
            s["ctx"]["id"] = f"HO-{x:06d}"
    elif key == "midorigase":
        nums = sorted(rng.sample(range(100, 99999), n))
        for s, x in zip(specs, nums):
            s["ctx"]["id"] = f"M{x:05d}"
    elif key == "shirasagidai":
        for i, s in enumerate(specs):
            s["ctx"]["id"] = f"{300001 + i}"
    elif key == "tsubakihara":
        for i, s in enumerate(specs):
            s["ctx"]["id"] = f"T-{i + 1:04d}"


def render_library(rng, key, specs, origin_ids):
    style, fn = STYLES[key]
    assign_ids(rng, key, specs)
    note_slots = {}
    if key == "hoshinooka":
        own_idx = [i for i, s in enumerate(specs) if not s["planted_from"]]
        chosen = sorted(rng.sample(own_idx, len(HOSHINOOKA_NOTES)))
        for i, note in zip(chosen, HOSHINOOKA_NOTES):
            note_slots[i] = note
    annex = set()
    if key == "tsubakihara":
        annex = set(rng.sample(range(len(specs)), 4))
    for i, s in enumerate(specs):
        p = s["person"]
        ctx = s["ctx"]
        ctx["planted"] = bool(s["planted_from"])
        if key == "shiohama" and s["planted_from"]:
            ctx["id"] = origin_ids[p.pid]
        if ctx["planted"]:
            ctx["reg"] = BATCH.get(key)
        else:
            ctx["reg"] = p.reg
        if key == "hoshinooka":
            if i in note_slots:
                ctx["note"] = note_slots[i]
            elif ctx["planted"] and rng.random() < 0.5:
                ctx["note"] = "旧システムより移行"
            elif rng.random() < 0.05:
                ctx["note"] = rng.choice(["予約本あり", "団体貸出", "督促済"])
        if i in annex:
            ctx["annex"] = True
        row, variations = fn(rng, p, ctx)
        s["row"], s["variations"] = row, variations
    if key == "midorigase":
        specs.sort(key=lambda s: s["ctx"]["id"])
    return style


def write_table(path, style, specs):
    """Write a delimited file and record each record's first physical line."""
    buf = io.StringIO()
    term = "\r\n" if style.crlf else "\n"
    if style.delimiter == "\t":
        def emit(values):
            for v in values:
                assert not any(c in v for c in '\t\n\r"'), v
            buf.write("\t".join(values) + term)
    else:
        wr = csv.writer(buf, delimiter=style.delimiter, lineterminator=term, quoting=csv.QUOTE_MINIMAL)

        def emit(values):
            wr.writerow(values)
    emit(style.header)
    line = 2
    for s in specs:
        start = buf.tell()
        emit(s["row"])
        s["line"] = line
        line += buf.getvalue()[start:].count("\n")
    text = buf.getvalue()
    data = (("\ufeff" if style.bom else "") + text).encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return text, data


# ---------------------------------------------------------------------------
# The web-server trees.

def gif(color, w=1, h=1):
    r, g, b = color
    head = b"GIF89a" + struct.pack("<HHBBB", w, h, 0x80, 0, 0) + bytes([r, g, b, 255, 255, 255])
    img = b"," + struct.pack("<HHHHB", 0, 0, w, h, 0)
    return head + b"!\xf9\x04\x01\x00\x00\x00\x00" + img + b"\x02\x02D\x01\x00;"


def ico():
    bmp = struct.pack("<IiiHHIIiiII", 40, 1, 2, 1, 32, 0, 8, 0, 0, 0, 0) + bytes([0x30, 0x60, 0x20, 0xFF]) + bytes(4)
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 1, 1, 0, 0, 1, 32, len(bmp), 22) + bmp


def page(title, body, extra_head=""):
    return (f'<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n<title>{title}｜潮浜市立図書館</title>\n'
            f'<link rel="stylesheet" href="/css/style.css">\n{extra_head}</head>\n<body>\n'
            f'<div id="header"><a href="/"><img src="/images/logo.gif" alt="潮浜市立図書館"></a></div>\n'
            f'<div id="main">\n<h1>{title}</h1>\n{body}\n</div>\n'
            f'<div id="footer">潮浜市立図書館 〒458-0001 潮浜市中央1丁目1-1 TEL 0566-00-0000（架空）</div>\n'
            f'</body>\n</html>\n')


def web_trees(overdue_csv, import_log):
    style = "body{font-family:sans-serif;margin:0}#header{background:#2a6;padding:8px}#main{padding:16px}\n" \
            "#footer{font-size:small;color:#666;border-top:1px solid #ccc;padding:8px}\nh1{font-size:1.4em}\n"
    prints = "@media print{#header,#footer{display:none}body{font-size:10pt}}\n"
    menu = "document.addEventListener('DOMContentLoaded',function(){var m=document.getElementById('menu');" \
           "if(m){m.className='ready';}});\n"
    search = "function opacSearch(q){location.href='/cgi-bin/search.cgi?q='+encodeURIComponent(q);}\n"
    annai = page("利用案内（PDF版の代替）", "<p>貸出は一人10冊まで、期間は2週間です。</p>\n<p>延滞中は新たな貸出ができません。</p>")
    owabi_link = '<p class="notice"><a href="/owabi.html">【重要】利用者情報の流出に関するお詫び（2010年6月）</a></p>\n'
    idx_body = "<ul id=\"menu\">\n<li><a href=\"/about.html\">図書館について</a></li>\n" \
               "<li><a href=\"/riyou.html\">利用案内</a></li>\n<li><a href=\"/calendar.html\">開館カレンダー</a></li>\n" \
               "<li><a href=\"/news/\">お知らせ</a></li>\n<li><a href=\"/opac/\">蔵書検索</a></li>\n</ul>"
    before = {
        "index.html": page("潮浜市立図書館", idx_body),
        "about.html": page("図書館について", "<p>潮浜市立図書館は1978年に開館しました（架空）。</p>"),
        "access.html": page("交通案内", "<p>潮浜駅から徒歩10分。駐車場50台。</p>"),
        "calendar.html": page("開館カレンダー", "<p>2009年10月の休館日: 5日, 13日, 19日, 26日</p>"),
        "riyou.html": page("利用案内", "<p>利用者カードは市内在住・在勤・在学の方に発行します。</p>"),
        "news/index.html": page("お知らせ", '<ul>\n<li><a href="2009/0401.html">新システム稼働</a></li>\n'
                                '<li><a href="2009/0515.html">こどもの読書週間</a></li>\n'
                                '<li><a href="2009/1001.html">秋の特別整理期間</a></li>\n</ul>'),
        "news/2009/0401.html": page("新システム稼働のお知らせ", "<p>2009年3月より新しい図書館システムが稼働しました。</p>"),
        "news/2009/0515.html": page("こどもの読書週間", "<p>読み聞かせ会を開催します。</p>"),
        "news/2009/1001.html": page("秋の特別整理期間", "<p>10月19日から26日まで休館します。</p>"),
        "css/style.css": style,
        "css/print.css": prints,
        "js/menu.js": menu,
        "js/search.js": search,
        "images/logo.gif": gif((0x22, 0x66, 0xAA), 2, 1),
        "images/banner.gif": gif((0xCC, 0x33, 0x33), 3, 1),
        "images/map.gif": gif((0x99, 0x99, 0x22), 1, 2),
        "docs/riyou_annai.html": annai,
        "docs/riyou_annai_old.html": annai,
        "data/overdue_list.csv": overdue_csv,
        "data/import_log.csv": import_log,
        "data/README.txt": "このフォルダは移行作業用です。作業完了後に削除すること。\n(vendor migration work folder)\n",
        "admin/backup/overdue_list_20090316.csv": overdue_csv,
        "admin/index.html": page("管理メニュー", "<p>職員用ページです。</p>"),
        "cgi-bin/search.cgi": "#!/usr/bin/perl\n# OPAC search gateway (2009)\nprint \"Content-Type: text/html\\n\\n\";\n",
        "opac/index.html": page("蔵書検索", '<form action="/cgi-bin/search.cgi"><input name="q"></form>'),
        "opac/help.html": page("検索のヘルプ", "<p>書名・著者名で検索できます。</p>"),
        "kids/index.html": page("こどものページ", "<p>おはなし会は毎週土曜日です。</p>"),
        "kids/osusume.html": page("おすすめの本", "<p>今月のおすすめ: 『星の王子さま』</p>"),
        ".htaccess": "DirectoryIndex index.html\nOptions -Indexes\n",
        "favicon.ico": ico(),
    }
    after = dict(before)
    for pth in ("news/2009/1001.html", "css/print.css", "js/search.js", "images/banner.gif",
                "docs/riyou_annai_old.html", "data/overdue_list.csv", "data/import_log.csv", "data/README.txt",
                "cgi-bin/search.cgi"):
        del after[pth]
    after.update({
        "index.html": page("潮浜市立図書館", owabi_link + idx_body),
        "calendar.html": page("開館カレンダー", "<p>2010年6月の休館日: 7日, 14日, 21日, 28日</p>"),
        "news/index.html": page("お知らせ", '<ul>\n<li><a href="2010/0301.html">開館時間の変更</a></li>\n'
                                '<li><a href="2009/0401.html">新システム稼働</a></li>\n'
                                '<li><a href="2009/0515.html">こどもの読書週間</a></li>\n'
                                '<li><a href="archive/2009/1001.html">秋の特別整理期間</a></li>\n</ul>'),
        "news/archive/2009/1001.html": before["news/2009/1001.html"],
        "news/2010/0301.html": page("開館時間の変更", "<p>4月より平日は20時まで開館します。</p>"),
        "assets/css/style.css": style,
        "assets/css/print.css": prints,
        "assets/js/search.js": search,
        "images/top/banner.gif": before["images/banner.gif"],
        "images/event/banner.gif": before["images/banner.gif"],
        "guide/riyou_annai.html": annai,
        "admin/index.html": page("管理メニュー", "<p>職員用ページです。アクセスは庁内LANに限定しました。</p>"),
        "cgi-bin/opac_search.cgi": "#!/usr/bin/perl\n# OPAC search gateway (2010, rewritten)\n"
                                   "use strict;\nprint \"Content-Type: text/html; charset=utf-8\\n\\n\";\n",
        "opac/help.html": page("検索のヘルプ", "<p>書名・著者名・ISBNで検索できます。</p>"),
        ".htaccess": "DirectoryIndex index.html\nOptions -Indexes\n<Files \"*.csv\">\n  Require all denied\n</Files>\n",
        "owabi.html": page("利用者情報の流出に関するお詫び",
                           "<p>当館のウェブサーバー上に、他市の図書館利用者の情報を含むファイルが置かれ、"
                           "外部から閲覧できる状態にありました。ファイルは削除いたしました。</p>"),
        "robots.txt": "User-agent: *\nDisallow: /admin/\nDisallow: /cgi-bin/\n",
    })
    expected = {
        "same": ["about.html", "access.html", "riyou.html", "news/2009/0401.html", "news/2009/0515.html",
                 "css/style.css", "js/menu.js", "images/logo.gif", "images/map.gif", "docs/riyou_annai.html",
                 "admin/backup/overdue_list_20090316.csv", "opac/index.html", "kids/index.html",
                 "kids/osusume.html", "favicon.ico"],
        "modified": ["index.html", "calendar.html", "news/index.html", "admin/index.html", "opac/help.html",
                     ".htaccess"],
        "moved": [("news/2009/1001.html", "news/archive/2009/1001.html"), ("css/print.css", "assets/css/print.css"),
                  ("js/search.js", "assets/js/search.js")],
        "copied": ["assets/css/style.css", "images/top/banner.gif", "images/event/banner.gif",
                   "guide/riyou_annai.html"],
        "deleted": ["images/banner.gif", "docs/riyou_annai_old.html", "data/overdue_list.csv", "data/import_log.csv",
                    "data/README.txt", "cgi-bin/search.cgi"],
        "new": ["news/2010/0301.html", "cgi-bin/opac_search.cgi", "owabi.html", "robots.txt"],
    }
    return before, after, expected


def write_tree(root, files, stamps):
    for rel in sorted(files):
        content = files[rel]
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        t = stamps[rel]
        os.utime(path, (t, t))


def sha(data):
    return hashlib.sha256(data).hexdigest()


def manifest(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            full = os.path.join(dirpath, fn)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            with open(full, "rb") as f:
                out[rel] = sha(f.read())
    return out


def reference_diff(before, after):
    """DESIGN.md section 3, `diff A B`, as a reference for the expected classes."""
    rows = []
    by_hash_before, by_hash_after = {}, {}
    for p in sorted(before):
        by_hash_before.setdefault(before[p], []).append(p)
    for p in sorted(after):
        by_hash_after.setdefault(after[p], []).append(p)
    gone = [p for p in sorted(before) if p not in after]
    came = [p for p in sorted(after) if p not in before]
    moved_from = {}
    for q in came:
        h = after[q]
        olds = by_hash_before.get(h, [])
        if len(olds) == 1 and len(by_hash_after[h]) == 1 and olds[0] in gone:
            moved_from[q] = olds[0]
    moved_old = set(moved_from.values())
    for p in sorted(set(before) | set(after)):
        if p in before and p in after:
            rows.append(dict(cls="same" if before[p] == after[p] else "modified", before=p, after=p))
        elif p in after:
            h = after[p]
            if p in moved_from:
                rows.append(dict(cls="moved", before=moved_from[p], after=p))
            elif h in by_hash_before:
                rows.append(dict(cls="copied", before=None, after=p, candidates=by_hash_before[h]))
            else:
                rows.append(dict(cls="new", before=None, after=p))
        elif p not in moved_old:
            rows.append(dict(cls="deleted", before=p, after=None))
    return rows


# ---------------------------------------------------------------------------
# Checking what was written.

def read_back(path, style):
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")
    if style.bom:
        assert text.startswith("\ufeff")
        text = text[1:]
    rd = csv.reader(io.StringIO(text, newline=""), delimiter=style.delimiter)
    header = next(rd)
    out = []
    while True:
        start = rd.line_num + 1
        try:
            row = next(rd)
        except StopIteration:
            break
        out.append((start, dict(zip(header, row))))
    return header, out, data


def fingerprint(values, roles, recipe):
    parts = []
    for field, keyer in RECIPES[recipe]:
        col = next(c for c, r in roles.items() if r == field)
        canon = KEYERS[keyer](values[col])
        if canon is None or canon == "":
            return None
        parts.append(canon)
    return tuple(parts)


def compact_json(obj, indent=0):
    """JSON with one line per small object, so TRUTH.json stays short and diffable."""
    pad = "  " * indent
    if isinstance(obj, dict):
        if all(not isinstance(v, (dict, list)) or (isinstance(v, list) and all(
                not isinstance(x, (dict, list)) for x in v) and len(json.dumps(v, ensure_ascii=False)) < 70)
               for v in obj.values()) and len(json.dumps(obj, ensure_ascii=False)) < 180:
            return json.dumps(obj, ensure_ascii=False)
        items = [f'{pad}  {json.dumps(k, ensure_ascii=False)}: {compact_json(v, indent + 1)}' for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(x, (dict, list)) for x in obj) and len(json.dumps(obj, ensure_ascii=False)) < 100:
            return json.dumps(obj, ensure_ascii=False)
        items = [pad + "  " + compact_json(x, indent + 1) for x in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj, ensure_ascii=False)


# ---------------------------------------------------------------------------

def generate(out):
    rng = random.Random(SEED)
    world, cases, decoys, tanaka_group, sets = build(rng)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "encoded"))

    origin_ids = {}
    files = {}
    for key in ORDER:
        specs = cases[key]
        style = render_library(rng, key, specs, origin_ids)
        if key == "minatokita":
            for s in specs:
                origin_ids[s["person"].pid] = s["ctx"]["id"]
        text, data = write_table(os.path.join(out, style.file), style, specs)
        files[key] = (style, specs, text, data)

    # Encoded twins: the same records, other encodings.
    d_text = files["hoshinooka"][2]
    for ch in ("髙", "①", "～"):
        assert ch in d_text, ch
    cp932 = d_text.encode("cp932")
    assert cp932.decode("cp932") == d_text
    with open(os.path.join(out, "encoded", "hoshinooka.cp932.csv"), "wb") as f:
        f.write(cp932)
    f_text = files["shirasagidai"][2]
    eucjp = f_text.encode("euc_jp")
    assert eucjp.decode("euc_jp") == f_text
    with open(os.path.join(out, "encoded", "shirasagidai.eucjp.csv"), "wb") as f:
        f.write(eucjp)

    # The exposed overdue list on Shiohama's web server: the 163 as the vendor imported them.
    exp_buf = io.StringIO()
    wr = csv.writer(exp_buf, lineterminator="\n")
    wr.writerow(["利用者番号", "氏名", "フリガナ", "生年月日", "電話番号", "延滞冊数", "最終督促日"])
    mk_line = {s["person"].pid: s["line"] for s in files["minatokita"][1]}
    exposed_rows = []
    for i, p in enumerate(sets["to_c"]):
        wr.writerow([origin_ids[p.pid], p.name("\u3000"), p.kana("\u3000"), fmt_date(p.birth, "slash"),
                     phone_text(p, "hyphen"), str(rng.randint(1, 12)),
                     fmt_date(dt.date(2008, 9, rng.randint(1, 26)), "iso")])
        exposed_rows.append({"line": i + 2, "origin_line": mk_line[p.pid], "person": p.pid})
    overdue_csv = exp_buf.getvalue()
    own_before = sum(1 for s in files["shiohama"][1] if not s["planted_from"] and s["ctx"]["reg"] < BATCH["shiohama"])
    import_log = "日時,元データ,件数,担当\n" \
                 f"2009-03-16 10:12,SHIOHAMA_PATRONS_20090313.csv,{own_before},vendor\n" \
                 f"2009-03-16 10:14,MINATOKITA_OVERDUE_20081001.csv,{len(sets['to_c'])},vendor\n"
    before, after, expected = web_trees(overdue_csv, import_log)
    base_b = int(dt.datetime(2009, 9, 30, 9, 0, tzinfo=dt.timezone.utc).timestamp())
    base_a = int(dt.datetime(2010, 6, 15, 9, 0, tzinfo=dt.timezone.utc).timestamp())
    stamps_b = {p: base_b + 60 * i for i, p in enumerate(sorted(before))}
    stamps_a = {p: (stamps_b[p] if p in before and before[p] == after[p] else base_a + 60 * i)
                for i, p in enumerate(sorted(after))}
    write_tree(os.path.join(out, "web", "before"), before, stamps_b)
    write_tree(os.path.join(out, "web", "after"), after, stamps_a)

    truth = check_and_truth(out, files, decoys, tanaka_group, sets, exposed_rows, expected, cp932, eucjp)
    with open(os.path.join(out, "TRUTH.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(compact_json(truth) + "\n")
    return truth


def check_and_truth(out, files, decoys, tanaka_group, sets, exposed_rows, expected, cp932, eucjp):
    libs = []
    located = {}   # pid -> list of (key, line)
    parsed = {}
    for key in ORDER:
        style, specs, text, data = files[key]
        header, rows, data2 = read_back(os.path.join(out, style.file), style)
        assert data2 == data
        assert header == style.header
        assert len(rows) == len(specs), key
        for (line, values), s in zip(rows, specs):
            assert line == s["line"], (key, line, s["line"])
            assert list(values.values()) == s["row"]
            located.setdefault(s["person"].pid, []).append((key, line))
        roles = {h: ROLES[h] for h in header if ROLES[h]}
        parsed[key] = (roles, rows, specs)
        ja, en, town, _, _ = LIBS[key]
        n_planted = sum(1 for s in specs if s["planted_from"])
        libs.append({
            "key": key, "name": en, "name_ja": ja, "file": style.file,
            "role": {"minatokita": "origin", "kasumida": "origin (second, smaller chain)",
                     "tsubakihara": "clean"}.get(key, "receiver"),
            "encoding": "utf-8" + (" with BOM" if style.bom else ""),
            "line_ending": "CRLF" if style.crlf else "LF",
            "delimiter": "tab" if style.delimiter == "\t" else "comma",
            "header": style.header,
            "roles": {h: ROLES[h] for h in header if ROLES[h]},
            "registration_column": next((h for h in header if h in ("登録日", "registered")), None),
            "rows": len(specs), "own_rows": len(specs) - n_planted, "planted_rows": n_planted,
            "physical_lines": text.count("\n"),
            "multiline_records": [s["line"] for s in specs if "\n" in "".join(s["row"])],
            "sha256": sha(data), "bytes": len(data),
        })

    # Planted copies, grouped by receiving file.
    planted, planted_flat = [], []
    counts = {}
    origin_file = {k: STYLES[k][0].file for k in ORDER}
    origin_line = {}
    for key in ("minatokita", "kasumida"):
        for s in files[key][1]:
            origin_line[s["person"].pid] = s["line"]
    for key in ORDER:
        group = None
        for s in files[key][1]:
            if not s["planted_from"]:
                continue
            src = s["planted_from"]
            pid = s["person"].pid
            counts.setdefault(key, {}).setdefault(src, 0)
            counts[key][src] += 1
            if group is None or group["origin"] != src:
                group = {"receiving": key, "file": origin_file[key], "origin": src, "origin_file": origin_file[src],
                         "count": 0, "variations": {}, "copies_format": ["line", "origin_line", "person"],
                         "copies": []}
                planted.append(group)
            group["count"] += 1
            group["copies"].append([s["line"], origin_line[pid], pid])
            for field in ("name", "kana", "birthdate", "phone", "postal"):
                vs = group["variations"].setdefault(field, {})
                vs[s["variations"][field]] = vs.get(s["variations"][field], 0) + 1
            planted_flat.append({"origin_file": origin_file[src], "origin_line": origin_line[pid],
                                 "file": origin_file[key], "line": s["line"]})
    for g in planted:
        g["variations"] = {f: dict(sorted(v.items(), key=lambda x: (-x[1], x[0]))) for f, v in g["variations"].items()}

    # Fingerprints over everything, with the reference keyers.
    fp_index = {r: {} for r in RECIPES}
    for key in ORDER:
        roles, rows, specs = parsed[key]
        for (line, values), s in zip(rows, specs):
            for r in RECIPES:
                fp = fingerprint(values, roles, r)
                assert fp is not None, (key, line, r, values)
                fp_index[r].setdefault(fp, []).append((key, line, s["person"].pid))
    # person / person_kana: one fingerprint <-> one person, and never twice in one file.
    for r in ("person", "person_kana"):
        by_pid = {}
        for fp, occ in fp_index[r].items():
            pids = sorted(set(o[2] for o in occ))
            assert len(pids) == 1, (r, fp, occ)
            assert len(set(o[0] for o in occ)) == len(occ), (r, occ)
            by_pid.setdefault(pids[0], []).append(fp)
        for pid, fps in by_pid.items():
            assert len(fps) == 1, (r, pid, fps)
    # Every planted copy matches its origin under every recipe.
    for pl in planted_flat:
        for r in RECIPES:
            occ = next(o for fp, o in fp_index[r].items() if any(x[1] == pl["line"] and
                                                                  origin_file[x[0]] == pl["file"] for x in o))
            assert any(origin_file[x[0]] == pl["origin_file"] and x[1] == pl["origin_line"] for x in occ), (r, pl)

    # Decoys.
    pid_loc = located
    decoy_out = []
    for d in decoys:
        a, b = d["a"], d["b"]
        (ka, la), (kb, lb) = pid_loc[a.pid][0], pid_loc[b.pid][0]
        same = lambda r: any(set(x[2] for x in occ) >= {a.pid, b.pid} for occ in fp_index[r].values())
        matches = [r for r in RECIPES if same(r)]
        equal = []
        va = dict(parsed[ka][1][[x[0] for x in parsed[ka][1]].index(la)][1])
        vb = dict(parsed[kb][1][[x[0] for x in parsed[kb][1]].index(lb)][1])
        ra, rb = parsed[ka][0], parsed[kb][0]
        for field, keyer in (("name", "name"), ("kana", "kana"), ("birthdate", "date"), ("phone", "phone")):
            ca = KEYERS[keyer](va[next(c for c, r in ra.items() if r == field)])
            cb = KEYERS[keyer](vb[next(c for c, r in rb.items() if r == field)])
            if ca == cb:
                equal.append(field)
        assert "person" not in matches and "person_kana" not in matches, d
        decoy_out.append({"kind": d["kind"], "a": {"file": origin_file[ka], "line": la, "person": a.pid,
                                                   "copies": [{"file": origin_file[k], "line": l}
                                                              for k, l in pid_loc[a.pid][1:]]},
                          "b": {"file": origin_file[kb], "line": lb, "person": b.pid},
                          "equal_after_keyers": equal, "must_not_match": ["person", "person_kana"],
                          "matches_under": matches, "note": d["note"]})
    # Common name group.
    group = []
    for p in tanaka_group:
        for k, l in pid_loc[p.pid]:
            group.append({"file": origin_file[k], "line": l, "person": p.pid,
                          "planted_copy": any(s["line"] == l and s["planted_from"] for s in files[k][1])})
    persons_in_group = sorted(set(g["person"] for g in group))
    assert len(persons_in_group) == 6

    # Any name_birth / kana_birth collision must be a listed decoy.
    listed = [(d["a"].pid, d["b"].pid) for d in decoys]
    for r in ("name_birth", "kana_birth"):
        for fp, occ in fp_index[r].items():
            pids = sorted(set(o[2] for o in occ))
            if len(pids) > 1:
                assert len(pids) == 2 and (tuple(pids) in listed or tuple(reversed(pids)) in listed), (r, occ)

    # Occurrences and the matrix, as kensho should report them over the seven case files.
    occurrences, matrix = {}, {}
    for r in RECIPES:
        n_fp = n_rows = 0
        pairs = {}
        for fp, occ in fp_index[r].items():
            ds = sorted(set(o[0] for o in occ), key=ORDER.index)
            if len(ds) < 2:
                continue
            n_fp += 1
            n_rows += len(occ)
            for i in range(len(ds)):
                for j in range(i + 1, len(ds)):
                    pairs[(ds[i], ds[j])] = pairs.get((ds[i], ds[j]), 0) + 1
        occurrences[r] = {"fingerprints": n_fp, "rows": n_rows}
        matrix[r] = [{"a": a, "b": b, "shared": n} for (a, b), n in
                     sorted(pairs.items(), key=lambda x: (ORDER.index(x[0][0]), ORDER.index(x[0][1])))]

    # Web trees.
    mb = manifest(os.path.join(out, "web", "before"))
    ma = manifest(os.path.join(out, "web", "after"))
    diff = reference_diff(mb, ma)
    got = {}
    for row in diff:
        got.setdefault(row["cls"], []).append(row)
    for cls, items in expected.items():
        have = got.get(cls, [])
        if cls == "moved":
            assert sorted((r["before"], r["after"]) for r in have) == sorted(items), (cls, have)
        elif cls == "deleted":
            assert sorted(r["before"] for r in have) == sorted(items), (cls, have)
        else:
            assert sorted(r["after"] for r in have) == sorted(items), (cls, have)
    assert sum(len(v) for v in got.values()) == sum(len(v) for v in expected.values())
    web_rows = []
    for row in sorted(diff, key=lambda r: (r["after"] or r["before"])):
        e = {"class": row["cls"], "before": row["before"], "after": row["after"],
             "sha256": (mb.get(row["before"]) if row["after"] is None else ma[row["after"]])}
        if row["cls"] == "copied":
            e["old_path_candidates"] = row["candidates"]
        if row["cls"] == "deleted":
            e["copies_remaining"] = sorted(p for p, h in ma.items() if h == mb[row["before"]])
        web_rows.append(e)

    # Keyer samples: every variation class seen in planted copies, raw -> canonical.
    samples, seen = [], set()
    for key in ORDER:
        roles, rows, specs = parsed[key]
        for (line, values), s in zip(rows, specs):
            if not s["planted_from"]:
                continue
            for field, keyer in (("name", "name"), ("kana", "kana"), ("birthdate", "date"), ("phone", "phone"),
                                 ("postal", "postal")):
                label = (field, s["variations"][field])
                if field == "birthdate" and s["person"].birth.year == 1989 and "wareki" in label[1]:
                    label = (field, s["variations"][field], s["person"].birth.isoformat())
                if label in seen:
                    continue
                seen.add(label)
                col = next(c for c, r in roles.items() if r == field)
                samples.append({"keyer": keyer, "raw": values[col], "canonical": KEYERS[keyer](values[col]),
                                "variation": "/".join(str(x) for x in label[1:]), "file": origin_file[key],
                                "line": line})

    d_lib = next(l for l in libs if l["key"] == "hoshinooka")
    f_lib = next(l for l in libs if l["key"] == "shirasagidai")
    truth = {
        "case": "Minato-kita patron leak (synthetic)",
        "generator": {"script": "examples/generate.py", "seed": SEED, "python": "3.8+ stdlib only"},
        "conventions": {
            "paths": "relative to examples/case/",
            "line": "1-based physical line on which a record starts; the header is line 1; a line ends at LF "
                    "(CRLF counts once); a UTF-8 BOM is not a line; a quoted field with an embedded newline makes "
                    "its record span two lines and pushes every later record down by one",
            "scope": "occurrences and matrix cover the seven files under examples/case/ (not encoded/, not web/)",
            "recipes": {k: " + ".join(f"{f}:{kk}" for f, kk in v) for k, v in RECIPES.items()},
            "person": "a synthetic person id, not present in any file; copies of one person share it",
        },
        "libraries": libs,
        "encoded": [
            {"file": "encoded/hoshinooka.cp932.csv", "encoding": "cp932", "same_text_as": "hoshinooka.csv",
             "note": "identical text once decoded (same lines, CRLF); holds 髙 (0xEEE0 as Python encodes it), "
                     "① (0x8740), ～ U+FF5E (0x8160)",
             "sha256": sha(cp932), "bytes": len(cp932), "rows": d_lib["rows"], "utf8_sha256": d_lib["sha256"]},
            {"file": "encoded/shirasagidai.eucjp.csv", "encoding": "euc-jp", "same_text_as": "shirasagidai.csv",
             "note": "identical text once decoded (same lines, LF); JIS X 0208 characters only",
             "sha256": sha(eucjp), "bytes": len(eucjp), "rows": f_lib["rows"], "utf8_sha256": f_lib["sha256"]},
        ],
        "planted_counts": counts,
        "planted_total": len(planted_flat),
        "never_copied": [
            {"file": "minatokita.csv", "lines": sorted(origin_line[p.pid] for p in sets["late"])},
            {"file": "kasumida.csv", "lines": [s["line"] for s in files["kasumida"][1]
                                               if s["person"].pid not in [p.pid for p in sets["to_f"]]]}],
        "occurrences": occurrences,
        "matrix": matrix,
        "likely_origin": [
            {"a": "minatokita", "b": "shiohama", "origin": "minatokita",
             "evidence": "every shared Minato-kita row registered before 2008-09; all 163 Shiohama copies registered "
                         "2009-03-16 and keep Minato-kita card numbers (2100xxxxxx)"},
            {"a": "minatokita", "b": "midorigase", "origin": "minatokita",
             "evidence": "shared rows registered at Minato-kita before 2008-09, at Midorigase on 2009-08-24"},
            {"a": "minatokita", "b": "hoshinooka", "origin": "minatokita",
             "evidence": "Hoshino-oka has no registration column; addresses of the copies are in 湊北市"},
            {"a": "kasumida", "b": "shirasagidai", "origin": "kasumida",
             "evidence": "Kasumida registrations before 2008-08; the 25 Shirasagidai copies registered 2008-11-04"},
            {"a": "shiohama", "b": "hoshinooka", "origin": "minatokita", "evidence": "both are receivers"},
            {"a": "shiohama", "b": "midorigase", "origin": "minatokita",
             "evidence": "both are receivers; by registration Shiohama (2009-03-16) precedes Midorigase (2009-08-24)"},
            {"a": "hoshinooka", "b": "midorigase", "origin": "minatokita", "evidence": "both are receivers"},
        ],
        "planted": planted,
        "decoys": decoy_out,
        "common_name": {"name": "田中 太郎", "persons": len(persons_in_group), "rows": group,
                        "note": "six different people named 田中 太郎; the Minato-kita one was copied to Shiohama and "
                                "Hoshino-oka, so those two files each hold two 田中 太郎 rows, one planted, one their own"},
        "keyer_samples": samples,
        "web": {
            "before": "web/before", "after": "web/after",
            "files_before": len(mb), "files_after": len(ma),
            "counts": {c: len(got.get(c, [])) for c in ("same", "modified", "moved", "copied", "deleted", "new")},
            "rule": "moved only when the content sat at exactly one path before and sits at exactly one other path "
                    "after; otherwise the vanished path is deleted and each extra path copied",
            "diff": web_rows,
            "exposed": {"file": "web/before/data/overdue_list.csv",
                        "also_at": ["web/before/admin/backup/overdue_list_20090316.csv",
                                    "web/after/admin/backup/overdue_list_20090316.csv"],
                        "origin_file": "minatokita.csv", "rows": len(exposed_rows),
                        "columns": "利用者番号,氏名,フリガナ,生年月日,電話番号,延滞冊数,最終督促日 (no address, so only the "
                                   "person and person_kana recipes apply)",
                        "lines": [[r["line"], r["origin_line"]] for r in exposed_rows],
                        "lines_format": "[line in the exposed file, origin line in minatokita.csv]"},
            "mtimes": "set to fixed times by the generator (before: 2009-09-30, after: 2010-06-15 or unchanged); "
                      "git does not keep them, so do not test them",
        },
    }
    # Exposed file: every row matches its origin row under `person`.
    with open(os.path.join(out, "web", "before", "data", "overdue_list.csv"), encoding="utf-8", newline="") as f:
        rd = csv.reader(f)
        hdr = next(rd)
        roles = {"氏名": "name", "フリガナ": "kana", "生年月日": "birthdate", "電話番号": "phone"}
        for r, (line, origin_l) in zip(rd, truth["web"]["exposed"]["lines"]):
            vals = dict(zip(hdr, r))
            fp = fingerprint(vals, roles, "person")
            occ = fp_index["person"][fp]
            assert ("minatokita", origin_l) in [(o[0], o[1]) for o in occ]
    return truth


def tree_files(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        for fn in filenames:
            out.append(os.path.relpath(os.path.join(dirpath, fn), root))
    return sorted(out)


def main(argv):
    if "--check" in argv:
        with tempfile.TemporaryDirectory() as tmp:
            generate(os.path.join(tmp, "case"))
            fresh, kept = os.path.join(tmp, "case"), os.path.join(HERE, "case")
            bad = []
            for rel in sorted(set(tree_files(fresh)) | set(tree_files(kept))):
                a, b = os.path.join(fresh, rel), os.path.join(kept, rel)
                if not (os.path.isfile(a) and os.path.isfile(b) and filecmp.cmp(a, b, shallow=False)):
                    bad.append(rel)
            if bad:
                print("examples/case differs from a fresh generation:", *bad, sep="\n  ")
                return 1
            print("examples/case matches a fresh generation")
            return 0
    truth = generate(os.path.join(HERE, "case"))
    for lib in truth["libraries"]:
        print(f"{lib['file']:<20} {lib['rows']:>4} rows  planted {lib['planted_rows']:>3}  {lib['bytes']:>6} bytes")
    print(f"planted copies: {truth['planted_total']}, decoy pairs: {len(truth['decoys'])}")
    print(f"TRUTH.json: {os.path.getsize(os.path.join(HERE, 'case', 'TRUTH.json'))} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
