#!/usr/bin/env python3
"""Synthetic Japanese library-patron CSVs for kensho's benchmarks.

Python 3 standard library only; the output is a pure function of the arguments
(the seed included), so two runs with the same arguments write the same bytes.

    generate.py patrons -o FILE [--rows N] [--seed S] [--encoding utf-8|cp932]
                        [--newline lf|crlf] [--bom] [--header std|alt|en]
                        [--shared-with FILE --shared N | --duplicates D]
    generate.py systems -o DIR --systems K [--rows TOTAL] [--seed S]
    generate.py trees   -o DIR [--files N] [--seed S]
    generate.py keys    -o A.csv -b B.csv [--rows N] [--shared N] [--seed S]

patrons  One library's patron export (columns 利用者番号, 氏名, フリガナ, 生年月日,
         電話番号, 郵便番号, 住所, メール, 登録日, 備考). Next to FILE it writes
         FILE.meta.json (seed, rows, ...). With --shared-with A --shared N the new
         file holds exactly N people of A (A must come from this generator; its
         .meta.json is read and A's people are regenerated from its seed), re-spelled
         the way a re-keyed or migrated copy is: half-width kana, full-width digits,
         U+3000 or no space in names, other date formats, no hyphens, upper-case mail.
         With --duplicates D, D of the file's people are written a second time, re-spelled
         the same way (rows - D distinct people; FILE.meta.json says so).
systems  A sweep: K libraries' exports in DIR (TOTAL rows together, 1.5M by default;
         every third file in CP932 with CRLF, headers differing per vendor), some
         origins' patrons copied into other systems, and DIR/manifest.json with the
         ground truth (which people of whom are in which file; pairwise counts; how
         many people, and rows of them, are in two or more files).
trees    DIR/before and DIR/after: a library web server's files (pages, images, scripts,
         logs, exports) before and after an incident, with known numbers of files that
         are the same, modified, moved, copied, deleted and new (DIR/manifest.json).
keys     Two files with one text column `key`, unique within each file, sharing
         exactly N values: the text-key join workload.

Every identifying field is unique per person among all people generated together
(card number, name + birthdate, reading + birthdate, phone, e-mail), so a join of two
files on any of them, or on a fingerprint of them, finds exactly the people they share.
"""

import argparse
import bisect
import gc
import datetime as dt
import hashlib
import json
import os
import random
import sys
import unicodedata

GENERATOR = "kensho-bench-generate"
VERSION = 1
with open(__file__, "rb") as _f:  # people are regenerated from a seed only by the same code
    SOURCE_SHA = hashlib.sha256(_f.read()).hexdigest()[:16]

# ---------------------------------------------------------------------------
# Pools. Weights are rough relative frequencies, not census data.

FAMILY = [  # kanji, katakana, romaji, weight
    ("佐藤", "サトウ", "sato", 150), ("鈴木", "スズキ", "suzuki", 140),
    ("高橋", "タカハシ", "takahashi", 110), ("田中", "タナカ", "tanaka", 100),
    ("伊藤", "イトウ", "ito", 85), ("渡辺", "ワタナベ", "watanabe", 85),
    ("山本", "ヤマモト", "yamamoto", 85), ("中村", "ナカムラ", "nakamura", 80),
    ("小林", "コバヤシ", "kobayashi", 80), ("加藤", "カトウ", "kato", 70),
    ("吉田", "ヨシダ", "yoshida", 65), ("山田", "ヤマダ", "yamada", 65),
    ("佐々木", "ササキ", "sasaki", 55), ("山口", "ヤマグチ", "yamaguchi", 50),
    ("松本", "マツモト", "matsumoto", 50), ("井上", "イノウエ", "inoue", 50),
    ("木村", "キムラ", "kimura", 45), ("林", "ハヤシ", "hayashi", 42),
    ("斎藤", "サイトウ", "saito", 42), ("清水", "シミズ", "shimizu", 42),
    ("山崎", "ヤマザキ", "yamazaki", 38), ("森", "モリ", "mori", 37),
    ("池田", "イケダ", "ikeda", 35), ("橋本", "ハシモト", "hashimoto", 35),
    ("阿部", "アベ", "abe", 35), ("石川", "イシカワ", "ishikawa", 33),
    ("山下", "ヤマシタ", "yamashita", 32), ("中島", "ナカジマ", "nakajima", 31),
    ("石井", "イシイ", "ishii", 30), ("小川", "オガワ", "ogawa", 30),
    ("前田", "マエダ", "maeda", 30), ("岡田", "オカダ", "okada", 30),
    ("長谷川", "ハセガワ", "hasegawa", 30), ("藤田", "フジタ", "fujita", 29),
    ("後藤", "ゴトウ", "goto", 29), ("近藤", "コンドウ", "kondo", 28),
    ("村上", "ムラカミ", "murakami", 27), ("遠藤", "エンドウ", "endo", 26),
    ("青木", "アオキ", "aoki", 26), ("坂本", "サカモト", "sakamoto", 25),
    ("斉藤", "サイトウ", "saito", 25), ("福田", "フクダ", "fukuda", 24),
    ("太田", "オオタ", "ota", 24), ("西村", "ニシムラ", "nishimura", 23),
    ("藤井", "フジイ", "fujii", 23), ("金子", "カネコ", "kaneko", 22),
    ("岡本", "オカモト", "okamoto", 22), ("藤原", "フジワラ", "fujiwara", 22),
    ("中野", "ナカノ", "nakano", 21), ("三浦", "ミウラ", "miura", 21),
    ("原田", "ハラダ", "harada", 20), ("中川", "ナカガワ", "nakagawa", 20),
    ("松田", "マツダ", "matsuda", 20), ("竹内", "タケウチ", "takeuchi", 20),
    ("小野", "オノ", "ono", 19), ("田村", "タムラ", "tamura", 19),
    ("中山", "ナカヤマ", "nakayama", 19), ("和田", "ワダ", "wada", 18),
    ("石田", "イシダ", "ishida", 18), ("森田", "モリタ", "morita", 18),
    ("上田", "ウエダ", "ueda", 18), ("原", "ハラ", "hara", 17),
    ("内田", "ウチダ", "uchida", 17), ("柴田", "シバタ", "shibata", 17),
    ("酒井", "サカイ", "sakai", 17), ("宮崎", "ミヤザキ", "miyazaki", 16),
    ("横山", "ヨコヤマ", "yokoyama", 16), ("高木", "タカギ", "takagi", 16),
    ("安藤", "アンドウ", "ando", 16), ("宮本", "ミヤモト", "miyamoto", 15),
    ("大野", "オオノ", "ono", 15), ("小島", "コジマ", "kojima", 15),
    ("谷口", "タニグチ", "taniguchi", 15), ("今井", "イマイ", "imai", 15),
    ("工藤", "クドウ", "kudo", 14), ("高田", "タカダ", "takada", 14),
    ("増田", "マスダ", "masuda", 14), ("丸山", "マルヤマ", "maruyama", 14),
    ("杉山", "スギヤマ", "sugiyama", 14), ("村田", "ムラタ", "murata", 13),
    ("大塚", "オオツカ", "otsuka", 13), ("新井", "アライ", "arai", 13),
    ("小山", "コヤマ", "koyama", 13), ("平野", "ヒラノ", "hirano", 12),
    ("藤本", "フジモト", "fujimoto", 12), ("河野", "コウノ", "kono", 12),
    ("上野", "ウエノ", "ueno", 12), ("野口", "ノグチ", "noguchi", 12),
    ("武田", "タケダ", "takeda", 12), ("松井", "マツイ", "matsui", 11),
    ("千葉", "チバ", "chiba", 11), ("岩崎", "イワサキ", "iwasaki", 11),
    ("菅原", "スガワラ", "sugawara", 11), ("木下", "キノシタ", "kinoshita", 11),
    ("久保", "クボ", "kubo", 10), ("佐野", "サノ", "sano", 10),
    ("野村", "ノムラ", "nomura", 10), ("松尾", "マツオ", "matsuo", 10),
    ("市川", "イチカワ", "ichikawa", 10), ("菊地", "キクチ", "kikuchi", 10),
    ("杉本", "スギモト", "sugimoto", 10), ("古川", "フルカワ", "furukawa", 9),
    ("大西", "オオニシ", "onishi", 9), ("島田", "シマダ", "shimada", 9),
    ("水野", "ミズノ", "mizuno", 9), ("桜井", "サクライ", "sakurai", 9),
    ("高野", "タカノ", "takano", 9), ("渡部", "ワタナベ", "watanabe", 8),
    ("吉川", "ヨシカワ", "yoshikawa", 8), ("山内", "ヤマウチ", "yamauchi", 8),
    ("西田", "ニシダ", "nishida", 8), ("飯田", "イイダ", "iida", 8),
    ("菅野", "カンノ", "kanno", 8), ("中田", "ナカタ", "nakata", 8),
    ("服部", "ハットリ", "hattori", 7), ("野々村", "ノノムラ", "nonomura", 3),
    ("髙橋", "タカハシ", "takahashi", 4), ("山﨑", "ヤマザキ", "yamazaki", 3),
    ("渡邊", "ワタナベ", "watanabe", 3), ("齋藤", "サイトウ", "saito", 3),
    ("五十嵐", "イガラシ", "igarashi", 6), ("大久保", "オオクボ", "okubo", 5),
]

GIVEN = [  # kanji, katakana, romaji, weight
    ("太郎", "タロウ", "taro", 12), ("一郎", "イチロウ", "ichiro", 10),
    ("健太", "ケンタ", "kenta", 12), ("翔太", "ショウタ", "shota", 12),
    ("大輔", "ダイスケ", "daisuke", 12), ("拓也", "タクヤ", "takuya", 11),
    ("誠", "マコト", "makoto", 11), ("浩", "ヒロシ", "hiroshi", 11),
    ("茂", "シゲル", "shigeru", 8), ("清", "キヨシ", "kiyoshi", 8),
    ("博", "ヒロシ", "hiroshi", 9), ("隆", "タカシ", "takashi", 10),
    ("修", "オサム", "osamu", 9), ("明", "アキラ", "akira", 9),
    ("進", "ススム", "susumu", 7), ("実", "ミノル", "minoru", 7),
    ("勝", "マサル", "masaru", 7), ("健一", "ケンイチ", "kenichi", 10),
    ("和夫", "カズオ", "kazuo", 8), ("正", "タダシ", "tadashi", 8),
    ("大樹", "ダイキ", "daiki", 10), ("翔", "ショウ", "sho", 9),
    ("蓮", "レン", "ren", 9), ("陽斗", "ハルト", "haruto", 8),
    ("悠真", "ユウマ", "yuma", 8), ("湊", "ミナト", "minato", 7),
    ("大翔", "ヒロト", "hiroto", 8), ("直樹", "ナオキ", "naoki", 10),
    ("哲也", "テツヤ", "tetsuya", 10), ("秀樹", "ヒデキ", "hideki", 9),
    ("雄一", "ユウイチ", "yuichi", 9), ("康弘", "ヤスヒロ", "yasuhiro", 8),
    ("俊介", "シュンスケ", "shunsuke", 8), ("亮", "リョウ", "ryo", 9),
    ("剛", "ツヨシ", "tsuyoshi", 8), ("徹", "トオル", "toru", 8),
    ("聡", "サトシ", "satoshi", 9), ("智也", "トモヤ", "tomoya", 9),
    ("裕太", "ユウタ", "yuta", 10), ("涼介", "リョウスケ", "ryosuke", 8),
    ("颯太", "ソウタ", "sota", 8), ("悠斗", "ユウト", "yuto", 8),
    ("陸", "リク", "riku", 7), ("優斗", "ユウト", "yuto", 7),
    ("慎吾", "シンゴ", "shingo", 7), ("武", "タケシ", "takeshi", 7),
    ("義男", "ヨシオ", "yoshio", 6), ("幸雄", "ユキオ", "yukio", 6),
    ("花子", "ハナコ", "hanako", 6), ("陽子", "ヨウコ", "yoko", 10),
    ("恵子", "ケイコ", "keiko", 10), ("幸子", "サチコ", "sachiko", 9),
    ("和子", "カズコ", "kazuko", 9), ("洋子", "ヨウコ", "yoko", 9),
    ("京子", "キョウコ", "kyoko", 9), ("久美子", "クミコ", "kumiko", 9),
    ("由美子", "ユミコ", "yumiko", 9), ("真由美", "マユミ", "mayumi", 9),
    ("智子", "トモコ", "tomoko", 10), ("裕子", "ユウコ", "yuko", 10),
    ("直美", "ナオミ", "naomi", 9), ("明美", "アケミ", "akemi", 9),
    ("美穂", "ミホ", "miho", 9), ("愛", "アイ", "ai", 9),
    ("舞", "マイ", "mai", 8), ("彩", "アヤ", "aya", 8),
    ("麻衣", "マイ", "mai", 8), ("美咲", "ミサキ", "misaki", 10),
    ("陽菜", "ヒナ", "hina", 9), ("結衣", "ユイ", "yui", 9),
    ("さくら", "サクラ", "sakura", 8), ("葵", "アオイ", "aoi", 8),
    ("凛", "リン", "rin", 8), ("結菜", "ユイナ", "yuina", 7),
    ("芽依", "メイ", "mei", 7), ("千尋", "チヒロ", "chihiro", 7),
    ("沙織", "サオリ", "saori", 8), ("香織", "カオリ", "kaori", 8),
    ("恵美", "エミ", "emi", 8), ("美紀", "ミキ", "miki", 8),
    ("奈々", "ナナ", "nana", 6), ("菜々子", "ナナコ", "nanako", 5),
    ("由紀", "ユキ", "yuki", 8), ("綾香", "アヤカ", "ayaka", 8),
    ("瞳", "ヒトミ", "hitomi", 8), ("文子", "フミコ", "fumiko", 6),
    ("節子", "セツコ", "setsuko", 6), ("春香", "ハルカ", "haruka", 7),
    ("ひかり", "ヒカリ", "hikari", 6), ("優子", "ユウコ", "yuko", 8),
    ("美和", "ミワ", "miwa", 6), ("千代", "チヨ", "chiyo", 5),
]

# A few patrons with names written in katakana (long vowel mark ー, middle dot ・).
FOREIGN_FAMILY = [("スミス", "smith"), ("ブラウン", "brown"), ("ウィルソン", "wilson"),
                  ("ガルシア", "garcia"), ("シルバ", "silva"), ("キム", "kim"),
                  ("グエン", "nguyen"), ("サントス", "santos"), ("ミュラー", "muller")]
FOREIGN_GIVEN = [("ジョージ", "george"), ("マリー", "marie"), ("ルーシー", "lucy"),
                 ("ジョン", "john"), ("アナ", "ana"), ("ミンジュン", "minjun"),
                 ("ホア", "hoa"), ("ルーカス", "lucas"), ("ソフィー", "sophie"),
                 ("ピーター・ポール", "peterpaul")]
FOREIGN_SHARE = 0.005

# library city: prefecture, city, romaji, area code, postal prefix, weight, towns
CITIES = [
    ("愛知県", "岡崎市", "okazaki", "0564", "444", 38,
     ["康生町", "康生通西", "明大寺町", "伊賀町", "羽根町", "矢作町", "大樹寺", "上地", "六名", "戸崎町"]),
    ("宮崎県", "えびの市", "ebino", "0984", "889", 2,
     ["大字原田", "大字大明司", "大字加久藤", "大字京町"]),
    ("東京都", "中野区", "nakano", "03", "164", 33,
     ["中野", "野方", "鷺宮", "本町", "中央", "弥生町", "東中野", "江古田"]),
    ("岐阜県", "飛騨市", "hida", "0577", "509", 3, ["古川町", "神岡町", "河合町", "宮川町"]),
    ("愛知県", "名古屋市中区", "nagoya", "052", "460", 40, ["栄", "錦", "丸の内", "大須", "金山"]),
    ("愛知県", "豊田市", "toyota", "0565", "471", 42, ["若宮町", "小坂本町", "元城町", "挙母町"]),
    ("愛知県", "安城市", "anjo", "0566", "446", 18, ["御幸本町", "桜町", "三河安城町"]),
    ("大阪府", "大阪市北区", "osaka", "06", "530", 30, ["梅田", "天満", "中之島", "西天満"]),
    ("福岡県", "福岡市中央区", "fukuoka", "092", "810", 19, ["天神", "大名", "赤坂", "薬院"]),
    ("北海道", "札幌市中央区", "sapporo", "011", "060", 24, ["北一条西", "南三条西", "大通西"]),
    ("宮城県", "仙台市青葉区", "sendai", "022", "980", 31, ["一番町", "国分町", "中央"]),
    ("神奈川県", "横浜市港北区", "yokohama", "045", "222", 35, ["日吉", "綱島西", "大倉山", "菊名"]),
    ("埼玉県", "さいたま市浦和区", "saitama", "048", "330", 16, ["高砂", "常盤", "岸町"]),
    ("千葉県", "船橋市", "funabashi", "047", "273", 64, ["本町", "湊町", "宮本"]),
    ("京都府", "京都市左京区", "kyoto", "075", "606", 17, ["下鴨", "北白川", "岩倉"]),
    ("兵庫県", "神戸市中央区", "kobe", "078", "650", 14, ["三宮町", "元町通", "北野町"]),
    ("広島県", "広島市中区", "hiroshima", "082", "730", 13, ["紙屋町", "八丁堀", "本通"]),
    ("静岡県", "浜松市中区", "hamamatsu", "053", "430", 23, ["鍛冶町", "田町", "元城町"]),
    ("長野県", "松本市", "matsumoto", "0263", "390", 24, ["中央", "大手", "深志"]),
    ("鹿児島県", "鹿児島市", "kagoshima", "099", "892", 59, ["天文館", "山之口町", "東千石町"]),
]

BUILDINGS = ["コーポ", "メゾン", "ハイツ", "グランドハイツ", "レジデンス", "パレス", "荘"]
MAIL_DOMAINS = [("docomo.ne.jp", 16), ("ezweb.ne.jp", 12), ("softbank.ne.jp", 8),
                ("i.softbank.jp", 6), ("gmail.com", 14), ("yahoo.co.jp", 18),
                ("hotmail.co.jp", 5), ("nifty.com", 5), ("ocn.ne.jp", 5),
                ("biglobe.ne.jp", 5), ("icloud.com", 4), ("example.jp", 2)]

REMARKS = ["延滞あり", "督促済み", "住所変更済", "転出予定", "家族カードあり", "予約多数",
           "電話不通", "返却期限超過", "要確認", "団体登録（読書会）", "視覚障害者サービス利用",
           "督促状送付, 本人不在", "電話連絡済み,返却約束あり", "住所不明, 郵便物返送",
           "返却期限超過\n再督促予定", "カード再発行\n旧カード無効化済",
           "本人より「至急」の連絡", 'メモ: "延滞常習"', '"要注意" 窓口対応',
           "紛失届あり（2008/11/02）", "ＩＣカード切替済", "ﾒｰﾙ配信停止"]
MIGRATION_REMARKS = ["旧システムより移行", "移行データ", "データ移行時登録", "旧ｼｽﾃﾑ移行分"]

ERAS = [  # name, first day
    ("令和", dt.date(2019, 5, 1)), ("平成", dt.date(1989, 1, 8)),
    ("昭和", dt.date(1926, 12, 25)), ("大正", dt.date(1912, 7, 30)),
]

BIRTH_FIRST = dt.date(1930, 1, 1)
BIRTH_LAST = dt.date(2007, 12, 31)
REG_FIRST = dt.date(2000, 4, 1)
REG_LAST = dt.date(2010, 9, 30)

HEADERS = {
    "std": ["利用者番号", "氏名", "フリガナ", "生年月日", "電話番号", "郵便番号", "住所", "メール", "登録日", "備考"],
    "alt": ["カード番号", "名前", "カナ", "生年月日", "電話", "〒", "住所", "email", "登録日", "備考"],
    "en": ["user_id", "name", "name_kana", "birthdate", "tel", "zip", "address", "email", "registered", "note"],
}

FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def _half_width_kana_table():
    table = {}
    for c in range(0xFF66, 0xFF9E):
        hw = chr(c)
        table.setdefault(unicodedata.normalize("NFKC", hw), hw)
        for mark in ("\uFF9E", "\uFF9F"):
            fw = unicodedata.normalize("NFKC", hw + mark)
            if len(fw) == 1:
                table.setdefault(fw, hw + mark)
    return str.maketrans(table)


HALFWIDTH_KANA = _half_width_kana_table()
HIRAGANA = str.maketrans({chr(c): chr(c - 0x60) for c in range(0x30A1, 0x30F7)})


def urn(weights):
    """A list holding each index as often as its (integer) weight: draw with urn[int(u * len(urn))]."""
    return [i for i, w in enumerate(weights) for _ in range(int(w))]


def cumulative(weights):
    out, total = [], 0
    for w in weights:
        total += w
        out.append(total)
    return out


# ---------------------------------------------------------------------------
# Dates, precomputed as strings per day offset.

def era_string(d):
    for name, first in ERAS:
        if d >= first:
            year = d.year - first.year + 1
            y = "元" if year == 1 else str(year)
            return f"{name}{y}年{d.month}月{d.day}日"
    raise ValueError(d)


class DayStrings:
    def __init__(self, first, last):
        self.first = first
        n = (last - first).days + 1
        days = [first + dt.timedelta(days=i) for i in range(n)]
        self.n = n
        self.iso = [d.isoformat() for d in days]
        self.slash = [f"{d.year}/{d.month}/{d.day}" for d in days]
        self.era = [era_string(d) for d in days]
        self.compact = [d.strftime("%Y%m%d") for d in days]
        self.year2 = [f"{d.year % 100:02d}" for d in days]


BIRTH = DayStrings(BIRTH_FIRST, BIRTH_LAST)
REG = DayStrings(REG_FIRST, REG_LAST)
REG_OFFSET = (REG_FIRST - BIRTH_FIRST).days


# ---------------------------------------------------------------------------
# People.

class Person:
    """The facts about one patron; how they are spelled is decided by a Style."""
    __slots__ = ("k", "fam", "giv", "foreign", "bday", "city", "town", "addr_tail",
                 "phone", "email", "reg", "card")


class Population:
    """A deterministic stream of distinct people.

    Person k is the k-th person drawn from Random(seed). Identifying values are kept
    distinct by rejection, over everything drawn from this stream: the card number
    (an affine permutation of k, so it never collides), name + birthdate, reading +
    birthdate, phone and e-mail.
    """

    def __init__(self, seed, home_weights=None):
        self.rng = random.Random(f"people:{seed}")
        self.k = 0
        self.seen_name = set()
        self.seen_kana = set()
        self.seen_phone = set()
        self.seen_mail = set()
        self.fam_urn = urn(w for *_, w in FAMILY)
        self.giv_urn = urn(w for *_, w in GIVEN)
        self.mail_cw = cumulative(w for _, w in MAIL_DOMAINS)
        self.set_home(home_weights)
        # Concatenated spellings -> small ints, so distinctness is checked on the
        # strings a name keyer would compare (斎藤/斉藤 read alike), not on pool indexes.
        name_id, kana_id = {}, {}

        def ident(table, key):
            return table.setdefault(key, len(table))

        self.pair_ids = [[(ident(name_id, f[0] + g[0]), ident(kana_id, f[1] + g[1])) for g in GIVEN]
                         for f in FAMILY]
        self.foreign_ids = [[(ident(name_id, f[0] + g[0]), ident(kana_id, f[0] + g[0])) for g in FOREIGN_GIVEN]
                            for f in FOREIGN_FAMILY]
        self.town_stem = {t: t.removeprefix("大字").removesuffix("町") for c in CITIES for t in c[6]}
        self.card_mul = 7919 * 40503  # odd, not a multiple of 5: a permutation mod 10^8
        self.card_add = self.rng.randrange(10**8)

    def set_home(self, home_weights):
        """Weights over CITIES for where the next people live."""
        if home_weights is None:
            home_weights = [c[5] for c in CITIES]
        self.city_urn = urn(round(1000 * w / sum(home_weights)) for w in home_weights)

    def card_number(self, k):
        """A bijection of [0, 10^8): affine, swap the 4-digit halves, affine again."""
        x = (self.card_mul * k + self.card_add) % 10**8
        x = (x % 10**4) * 10**4 + x // 10**4
        return (x * 9301 + 49297) % 10**8

    def next(self):
        rand = self.rng.random
        fam_urn, giv_urn, city_urn = self.fam_urn, self.giv_urn, self.city_urn
        fam = fam_urn[int(rand() * len(fam_urn))]
        giv = giv_urn[int(rand() * len(giv_urn))]
        city = city_urn[int(rand() * len(city_urn))]
        u_day, u_town, u_phone, u_mail, u_reg, u_misc = rand(), rand(), rand(), rand(), rand(), rand()
        k = self.k
        self.k = k + 1
        p = Person()
        p.k = k
        p.card = self.card_number(k)
        # name + birthdate and reading + birthdate must both be new
        foreign = u_misc < FOREIGN_SHARE
        if foreign:
            ids, fam, giv = self.foreign_ids, fam % len(FOREIGN_FAMILY), giv % len(FOREIGN_GIVEN)
        else:
            ids = self.pair_ids
        ng = len(ids[0])
        day = int(u_day * BIRTH.n)
        seen_name, seen_kana = self.seen_name, self.seen_kana
        while True:
            nid, kid = ids[fam][giv]
            nk, kk = nid * 40000 + day, kid * 40000 + day
            if nk not in seen_name and kk not in seen_kana:
                break
            day = int(rand() * BIRTH.n)
            giv = int(rand() * ng)
        seen_name.add(nk)
        seen_kana.add(kk)
        p.fam, p.giv, p.foreign, p.bday = fam, giv, foreign, day
        # address
        c = CITIES[city]
        towns = c[6]
        town = int(u_town * len(towns))
        p.city, p.town = city, town
        chome, ban, go = 1 + int(u_town * 97) % 5, 1 + int(u_phone * 9973) % 30, 1 + int(u_mail * 7919) % 25
        if u_misc > 0.88:  # (u_misc < FOREIGN_SHARE picks the foreign names)
            b = BUILDINGS[int(u_misc * 1000) % len(BUILDINGS)]
            room = 100 * (1 + int(u_reg * 1000) % 5) + 1 + int(u_reg * 100000) % 8
            p.addr_tail = (chome, ban, go, f"{b}{self.town_stem[towns[town]]} {room}号室")
        else:
            p.addr_tail = (chome, ban, go, "")
        # phone: a mobile or the home city's landline, never one drawn before
        seen_phone = self.seen_phone
        while True:
            if u_phone < 0.6:
                prefix = ("090", "080", "070")[int(u_phone * 1000) % 3]
                num = int(rand() * 100_000_000)
                key = int(prefix) * 100_000_000 + num
                width = 8
            else:
                prefix = c[3]
                width = 10 - len(prefix)
                lo = 2 * 10 ** (width - 1)
                num = lo + int(rand() * (10 ** width - lo))  # local numbers start with 2-9
                key = int(prefix) * 10 ** width + num
            if key not in seen_phone:
                seen_phone.add(key)
                break
            u_phone = rand()
        p.phone = (prefix, num, width)
        # e-mail (about two thirds have one)
        if u_mail < 0.67:
            if foreign:
                fr, gr = FOREIGN_FAMILY[fam][1], FOREIGN_GIVEN[giv][1]
            else:
                fr, gr = FAMILY[fam][2], GIVEN[giv][2]
            shape = int(u_mail * 1000) % 5
            if shape == 0:
                local = f"{gr}.{fr}"
            elif shape == 1:
                local = f"{fr}{gr[0]}"
            elif shape == 2:
                local = f"{gr}{BIRTH.year2[day]}"
            elif shape == 3:
                local = f"{fr}_{gr}"
            else:
                local = f"{gr[:3]}-{fr}"
            dom = MAIL_DOMAINS[bisect.bisect(self.mail_cw, u_mail / 0.67 * self.mail_cw[-1])][0]
            mail = f"{local}@{dom}"
            seen_mail = self.seen_mail
            while mail in seen_mail:
                mail = f"{local}{int(rand() * 1000)}@{dom}"
            seen_mail.add(mail)
            p.email = mail
        else:
            p.email = ""
        # registered at least three years after birth, before the leak (2010)
        lo = day + 3 * 366 - REG_OFFSET
        if lo < 0:
            lo = 0
        p.reg = lo + int(u_reg * (REG.n - lo)) if lo < REG.n else REG.n - 1
        return p

    def take(self, n):
        return [self.next() for _ in range(n)]


# ---------------------------------------------------------------------------
# Spelling.

class Style:
    """How one system spells people: the vendor's habits, as probabilities."""

    def __init__(self, name_sep=(0.55, 0.35), kana=(0.90, 0.08), birth=(0.75, 0.15),
                 phone_plain=0.10, postal_plain=0.10, reg_slash=0.10, remark=0.15):
        self.name_sep = name_sep       # P(ASCII space), P(U+3000); else none
        self.kana = kana               # P(full katakana), P(half-width); else hiragana
        self.birth = birth             # P(ISO), P(y/m/d); else era
        self.phone_plain = phone_plain
        self.postal_plain = postal_plain
        self.reg_slash = reg_slash
        self.remark = remark

    def to_json(self):
        return dict(self.__dict__)


def spell(p, style, u, variant=False, migrated=False):
    """The ten fields of person p as `style` writes them. `u` is a Random.

    With `variant`, the person is a copy re-keyed by other hands: each field gets
    a spelling a normalizing keyer must see through (width, spacing, date format,
    hyphens, case); the values themselves stay the same.
    """
    rnd = u.random
    c = CITIES[p.city]
    if p.foreign:
        fam_k = fam_r = FOREIGN_FAMILY[p.fam][0]
        giv_k = giv_r = FOREIGN_GIVEN[p.giv][0]
    else:
        fam_k, fam_r = FAMILY[p.fam][0], FAMILY[p.fam][1]
        giv_k, giv_r = GIVEN[p.giv][0], GIVEN[p.giv][1]

    x = rnd()
    sep = " " if x < style.name_sep[0] else "\u3000" if x < style.name_sep[0] + style.name_sep[1] else ""
    if variant:
        sep = ("", "\u3000", "  ", " \u3000")[int(rnd() * 4)] if sep == " " else " "
    name = fam_k + sep + giv_k
    if variant and rnd() < 0.1:
        name = " " + name + "\u3000"

    x = rnd()
    kana = fam_r + (" " if sep == "" else sep[:1]) + giv_r
    if variant:
        kana = kana.translate(HALFWIDTH_KANA) if rnd() < 0.6 else kana.translate(HIRAGANA)
    elif x >= style.kana[0]:
        kana = kana.translate(HALFWIDTH_KANA) if x < style.kana[0] + style.kana[1] else kana.translate(HIRAGANA)

    x = rnd()
    if variant:
        birth = (BIRTH.slash, BIRTH.era, BIRTH.compact)[int(rnd() * 3)][p.bday]
        if rnd() < 0.3:
            birth = birth.translate(FULLWIDTH)
    else:
        birth = (BIRTH.iso if x < style.birth[0] else BIRTH.slash if x < style.birth[0] + style.birth[1]
                 else BIRTH.era)[p.bday]

    a, num, width = p.phone
    body = f"{num:0{width}d}"
    b, d = body[:-4], body[-4:]
    x = rnd()
    if variant:
        phone = (f"{a}{b}{d}", f"{a}({b}){d}", f"{a}-{b}-{d}".translate(FULLWIDTH), f"{a}‐{b}‐{d}")[int(x * 4)]
    elif x < style.phone_plain:
        phone = f"{a}{b}{d}"
    elif x < style.phone_plain + 0.03 and len(a) > 3:
        phone = f"{a}({b}){d}"
    else:
        phone = f"{a}-{b}-{d}"

    town4 = (p.city * 131 + p.town * 1709 + 1) % 10000
    x = rnd()
    if variant:
        postal = (f"{c[4]}{town4:04d}", f"〒{c[4]}-{town4:04d}", f"{c[4]}－{town4:04d}")[int(x * 3)]
    else:
        postal = f"{c[4]}{town4:04d}" if x < style.postal_plain else f"{c[4]}-{town4:04d}"

    chome, ban, go, bldg = p.addr_tail
    addr = f"{c[0]}{c[1]}{c[6][p.town]}{chome}丁目{ban}-{go}"
    if variant and rnd() < 0.5:
        addr = addr.translate(FULLWIDTH)
    if bldg:
        addr += " " + bldg

    mail = p.email
    if variant and mail and rnd() < 0.3:
        mail = mail.upper() if rnd() < 0.5 else mail + " "

    reg = (REG.slash if rnd() < style.reg_slash else REG.iso)[p.reg]

    x = rnd()
    if migrated and x < 0.3:
        remark = MIGRATION_REMARKS[int(rnd() * len(MIGRATION_REMARKS))]
    elif x < style.remark:
        remark = REMARKS[int(rnd() * len(REMARKS))]
        if rnd() < 0.2:
            remark = f"延滞{1 + int(rnd() * 9)}冊, 最終督促 {REG.slash[int(rnd() * REG.n)]}"
    else:
        remark = ""

    card = f"{p.card:010d}"
    return [card, name, kana, birth, phone, postal, addr, mail, reg, remark]


COLUMN_ORDER = {  # per header dialect: which of the ten fields goes where
    "std": list(range(10)),
    "alt": [1, 2, 0, 3, 4, 5, 6, 7, 8, 9],
    "en": list(range(10)),
}


def csv_field(v):
    """RFC 4180 quoting, only where needed (what Excel and most exporters do)."""
    if "," in v or '"' in v or "\n" in v or "\r" in v:
        return '"' + v.replace('"', '""') + '"'
    return v


class Writer:
    """CSV out, quoting only the fields that need it; buffered, since the csv module's
    writer costs several times more per row on this workload."""

    def __init__(self, path, encoding="utf-8", newline="lf", bom=False, header="std"):
        self.path = path
        self.order = COLUMN_ORDER[header]
        self.nl = "\r\n" if newline == "crlf" else "\n"
        self.f = open(path, "w", encoding="cp932" if encoding == "cp932" else "utf-8",
                      errors="strict", newline="")
        if bom:
            if encoding != "utf-8":
                raise SystemExit("generate.py: error: --bom needs --encoding utf-8")
            self.f.write("\ufeff")
        self.buf = []
        self.rows = -1
        self.row(HEADERS[header])
        self.distinct = {5: set(), 8: set()}  # 郵便番号, 登録日: distinct values written, for count-by checks

    def row(self, fields):
        if self.rows >= 0:
            for i, seen in self.distinct.items():
                seen.add(fields[i])
        if self.order[0] != 0:
            fields = [fields[i] for i in self.order]
        line = ",".join(fields)
        if line.count(",") != 9 or '"' in line or "\n" in line or "\r" in line:
            line = ",".join(map(csv_field, fields))
        self.buf.append(line)
        self.rows += 1
        if len(self.buf) >= 4096:
            self.flush()

    def flush(self):
        if self.buf:
            self.buf.append("")
            self.f.write(self.nl.join(self.buf))
            self.buf = []

    def close(self):
        self.flush()
        self.f.close()


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def write_meta(path, meta):
    with open(path + ".meta.json", "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
        f.write("\n")


def city_home_weights(home):
    """90% of a library's patrons live in its city, the rest anywhere."""
    base = [c[5] for c in CITIES]
    total = sum(base)
    return [0.1 * w / total + (0.9 if i == home else 0.0) for i, w in enumerate(base)]


# ---------------------------------------------------------------------------
# Commands.

def cmd_patrons(args):
    style = Style()
    home = 0  # Okazaki
    meta = {"generator": GENERATOR, "version": VERSION, "source": SOURCE_SHA, "kind": "patrons", "seed": args.seed,
            "rows": args.rows, "encoding": args.encoding, "newline": args.newline,
            "bom": args.bom, "header": args.header}
    if args.shared_with is None:
        if args.shared:
            raise SystemExit("generate.py: error: --shared needs --shared-with FILE")
        dups = args.duplicates
        if not 0 <= dups <= args.rows // 2:
            raise SystemExit("generate.py: error: --duplicates must be between 0 and half of --rows")
        people = args.rows - dups
        pop = Population(args.seed, city_home_weights(home))
        w = Writer(args.out, args.encoding, args.newline, args.bom, args.header)
        u = random.Random(f"spell:{args.seed}")
        # With --duplicates D: D of the people are written a second time, re-spelled (as
        # by a re-keyed copy), somewhere after their first row. Without it the rows are
        # exactly those of earlier versions of this generator.
        pick = random.Random(f"dups:{args.seed}")
        copied = set(pick.sample(range(people), dups)) if dups else set()
        pool = []  # people written once and still to be copied
        new_left, copies_left = people, dups
        for _ in range(args.rows):
            if copies_left and pool and (new_left == 0 or pick.random() * (new_left + copies_left) < copies_left):
                i = int(pick.random() * len(pool))
                pool[i], pool[-1] = pool[-1], pool[i]
                w.row(spell(pool.pop(), style, u, variant=True, migrated=True))
                copies_left -= 1
            else:
                p = pop.next()
                new_left -= 1
                if p.k in copied:
                    pool.append(p)
                w.row(spell(p, style, u))
        w.close()
        meta["people"] = people
        meta["duplicates"] = dups
    else:
        if args.duplicates:
            raise SystemExit("generate.py: error: --duplicates cannot be combined with --shared-with")
        try:
            with open(args.shared_with + ".meta.json", encoding="utf-8") as f:
                base = json.load(f)
        except OSError as e:
            raise SystemExit(f"generate.py: error: --shared-with needs '{args.shared_with}.meta.json' "
                             f"written by this generator ({e.strerror})")
        if base.get("generator") != GENERATOR or base.get("kind") != "patrons":
            raise SystemExit(f"generate.py: error: '{args.shared_with}' is not a patrons file from generate.py")
        if base.get("source") != SOURCE_SHA:
            raise SystemExit(f"generate.py: error: '{args.shared_with}' was written by another version of "
                             "generate.py, whose people cannot be regenerated here; generate it again")
        if base.get("shared_with"):
            raise SystemExit(f"generate.py: error: '{args.shared_with}' itself shares people with another file; "
                             "use a plain file as --shared-with")
        if not 0 <= args.shared <= min(args.rows, base["rows"]):
            raise SystemExit(f"generate.py: error: --shared {args.shared} is more than either file holds")
        pick = random.Random(f"pick:{args.seed}:{base['seed']}")
        chosen = sorted(pick.sample(range(base["rows"]), args.shared))
        positions = set(pick.sample(range(args.rows), args.shared))
        # Regenerate A's people to learn the chosen ones and to keep every new person
        # distinct from all of A's.
        pop = Population(base["seed"], city_home_weights(home))
        shared, ci = [], 0
        for k in range(base["rows"]):
            p = pop.next()
            if ci < len(chosen) and chosen[ci] == k:
                shared.append(p)
                ci += 1
        pick.shuffle(shared)
        # B's own people: same stream (so distinct from A), drawn with B's seed
        pop.rng = random.Random(f"people:{base['seed']}+{args.seed}")
        w = Writer(args.out, args.encoding, args.newline, args.bom, args.header)
        u = random.Random(f"spell:{args.seed}:b")
        si = 0
        for i in range(args.rows):
            if i in positions:
                w.row(spell(shared[si], style, u, variant=True, migrated=True))
                si += 1
            else:
                w.row(spell(pop.next(), style, u))
        w.close()
        meta["shared_with"] = {"file": os.path.basename(args.shared_with), "seed": base["seed"],
                               "rows": base["rows"], "shared": args.shared}
        meta["people"] = args.rows
    meta["distinct"] = {HEADERS[args.header][i]: len(v) for i, v in w.distinct.items()}
    meta["sha256"] = sha256_of(args.out)
    meta["bytes"] = os.path.getsize(args.out)
    write_meta(args.out, meta)
    print(f"{args.out}: {args.rows} rows, {meta['bytes']} bytes", file=sys.stderr)


def cmd_systems(args):
    K, total = args.systems, args.rows
    if K < 2:
        raise SystemExit("generate.py: error: --systems needs at least 2")
    if total < 100 * K:
        raise SystemExit(f"generate.py: error: --rows {total} is too few for {K} systems (at least {100 * K})")
    os.makedirs(args.out, exist_ok=True)
    r = random.Random(f"systems:{args.seed}")
    # sizes: a few big cities, many small towns
    weights = [r.lognormvariate(0, 1.0) for _ in range(K)]
    s = sum(weights)
    sizes = [max(100, int(total * w / s)) for w in weights]
    sizes[max(range(K), key=lambda i: sizes[i])] += total - sum(sizes)
    systems = []
    for i in range(K):
        home = i % len(CITIES)
        cp932 = i % 3 == 2
        dialect = ("std", "alt", "en")[r.randrange(3)] if i else "std"
        style = Style(
            name_sep=(0.1, 0.9) if cp932 else (0.6, 0.3),
            kana=(0.0, 1.0) if r.random() < 0.2 else (0.92, 0.06),
            birth=((1.0, 0.0), (0.0, 1.0), (0.0, 0.0), (0.75, 0.15))[r.randrange(4)],
            phone_plain=r.choice((0.0, 0.1, 1.0)), postal_plain=r.choice((0.0, 0.1, 1.0)),
            reg_slash=r.choice((0.0, 1.0)), remark=r.choice((0.05, 0.2, 0.4)))
        name = f"lib{i + 1:02d}-{CITIES[home][2]}" + (f"{i // len(CITIES) + 1}" if i >= len(CITIES) else "")
        systems.append({"file": name + ".csv", "home": home, "rows": sizes[i],
                        "encoding": "cp932" if cp932 else "utf-8",
                        "newline": "crlf" if cp932 else ("crlf" if r.random() < 0.3 else "lf"),
                        "bom": (not cp932) and r.random() < 0.3, "header": dialect, "style": style})
    # Leaks: the first system's overdue list goes almost everywhere (the MELIL case);
    # a few other origins leak a small list into a few systems.
    origins = [0] + r.sample(range(1, K), max(0, K // 10))
    leaks = []
    for o in origins:
        others = [j for j in range(K) if j != o]
        if o == 0:
            count, into = max(1, systems[o]["rows"] // 600), r.sample(others, max(1, len(others) * 9 // 10))
        else:
            count, into = max(1, systems[o]["rows"] // 2000), r.sample(others, max(1, len(others) // 4))
        leaks.append({"origin": o, "count": count, "into": sorted(into)})
    for j in range(K):
        if sum(lk["count"] for lk in leaks if j in lk["into"]) > systems[j]["rows"] // 2:
            raise SystemExit("generate.py: error: too many leaked rows for the smaller systems; raise --rows")
    # One stream of people for all systems, so nobody is in two systems by chance.
    pop = Population(args.seed)
    people = []  # per system: list of Person (own people first)
    for i, sy in enumerate(systems):
        pop.set_home(city_home_weights(sy["home"]))
        incoming = sum(lk["count"] for lk in leaks if i in lk["into"])
        people.append(pop.take(sy["rows"] - incoming))
    where = {}  # person k -> systems holding them
    for i, ps in enumerate(people):
        for p in ps:
            where[p.k] = [i]
    for lk in leaks:
        o = lk["origin"]
        lk["people"] = r.sample(people[o], lk["count"])  # the origin's own people, not copies it holds
    inbox = [[] for _ in range(K)]
    for lk in leaks:
        for j in lk["into"]:
            inbox[j].extend(lk["people"])
            for p in lk["people"]:
                where[p.k].append(j)
    u = random.Random(f"spell:{args.seed}")
    for i, sy in enumerate(systems):
        own = people[i]
        copies = inbox[i]
        positions = set(r.sample(range(sy["rows"]), len(copies)))
        r.shuffle(copies)
        w = Writer(os.path.join(args.out, sy["file"]), sy["encoding"], sy["newline"], sy["bom"], sy["header"])
        oi = ci = 0
        for row in range(sy["rows"]):
            if row in positions:
                w.row(spell(copies[ci], sy["style"], u, variant=u.random() < 0.7, migrated=True))
                ci += 1
            else:
                w.row(spell(own[oi], sy["style"], u))
                oi += 1
        w.close()
        print(f"{sy['file']}: {sy['rows']} rows, {sy['encoding']}", file=sys.stderr)
    pairs = {}
    for ks in where.values():
        if len(ks) > 1:
            for a in range(len(ks)):
                for b in range(a + 1, len(ks)):
                    key = tuple(sorted((ks[a], ks[b])))
                    pairs[key] = pairs.get(key, 0) + 1
    manifest = {
        "generator": GENERATOR, "version": VERSION, "source": SOURCE_SHA, "kind": "systems", "seed": args.seed,
        "rows": total,
        "files": [{"file": sy["file"], "rows": sy["rows"], "encoding": sy["encoding"],
                   "newline": sy["newline"], "bom": sy["bom"], "header": sy["header"],
                   "city": CITIES[sy["home"]][1], "style": sy["style"].to_json(),
                   "sha256": sha256_of(os.path.join(args.out, sy["file"]))} for sy in systems],
        "leaks": [{"origin": systems[lk["origin"]]["file"], "people": lk["count"],
                   "copied_into": [systems[j]["file"] for j in lk["into"]]} for lk in leaks],
        "shared_pairs": [{"a": systems[a]["file"], "b": systems[b]["file"], "shared": n}
                         for (a, b), n in sorted(pairs.items())],
        # what a sweep must find: the people held by two or more files, and all their rows
        # (one per file holding them: `occurrences FP | count` over all files)
        "truth": {"people_in_two_or_more_files": sum(1 for ks in where.values() if len(ks) > 1),
                  "rows_of_those_people": sum(len(ks) for ks in where.values() if len(ks) > 1)},
    }
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")


def cmd_keys(args):
    if not 0 <= args.shared <= args.rows:
        raise SystemExit("generate.py: error: --shared must be between 0 and --rows")
    r = random.Random(f"keys:{args.seed}")
    mul = 0x9E3779B97F4A7C15
    add = r.getrandbits(64)
    mask = (1 << 64) - 1

    def key(k):  # a bijection on 64-bit ints, so distinct k give distinct keys
        x = (k * mul + add) & mask
        x ^= x >> 29
        x = (x * 0xBF58476D1CE4E5B9) & mask
        x ^= x >> 32
        return f"{x:016x}"

    n, s = args.rows, args.shared
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write("key\n")
        f.write("".join(key(k) + "\n" for k in range(n)))
    b = r.sample(range(n), s) + list(range(n, 2 * n - s))
    r.shuffle(b)
    with open(args.b, "w", encoding="utf-8", newline="") as f:
        f.write("key\n")
        f.write("".join(key(k) + "\n" for k in b))
    for path in (args.out, args.b):
        write_meta(path, {"generator": GENERATOR, "version": VERSION, "source": SOURCE_SHA, "kind": "keys", "seed": args.seed,
                          "rows": n, "shared": s, "sha256": sha256_of(path), "bytes": os.path.getsize(path)})
    print(f"{args.out}, {args.b}: {n} rows each, {s} shared keys", file=sys.stderr)


# ---------------------------------------------------------------------------
# Trees: a library's web server before and after an incident.

TREE_KINDS = [  # kind, weight, directories, extensions, smallest and largest size in bytes
    ("page", 34, ["htdocs", "htdocs/about", "htdocs/guide", "htdocs/events", "htdocs/kids", "htdocs/teens",
                  "htdocs/opac/help", "htdocs/branches/{branch}", "htdocs/news/{year}"], ["html"], 1500, 16000),
    ("image", 30, ["htdocs/images", "htdocs/images/banner", "htdocs/images/icons", "htdocs/images/photos/{year}",
                   "htdocs/branches/{branch}/images"], ["png", "jpg", "gif"], 1500, 40000),
    ("style", 4, ["htdocs/css", "htdocs/css/print"], ["css"], 800, 20000),
    ("script", 5, ["htdocs/js", "htdocs/js/lib", "htdocs/opac/js"], ["js"], 800, 30000),
    ("document", 6, ["htdocs/files/pdf", "htdocs/files/newsletter/{year}"], ["pdf"], 8000, 90000),
    ("cgi", 5, ["cgi-bin", "cgi-bin/opac", "cgi-bin/reserve", "cgi-bin/lib"], ["cgi", "pl"], 800, 12000),
    ("log", 10, ["logs", "logs/old/{year}"], ["log"], 5000, 60000),
    ("conf", 2, ["conf", "conf/extra", "conf.d"], ["conf"], 300, 8000),
    ("export", 4, ["data/export", "data/export/{year}", "htdocs/opac/tmp"], ["csv", "tsv"], 2000, 30000),
]
TREE_STEMS = ["index", "about", "notice", "event", "branch", "search", "result", "page", "info", "guide",
              "reserve", "renew", "card", "photo", "banner", "list", "form", "top", "map", "calendar"]
TREE_BRANCHES = ["honkan", "kita", "minami", "higashi", "nishi", "eki-mae", "bunkan1", "bunkan2"]
TREE_WORDS = ("利用案内 開館時間 休館日 蔵書検索 予約 貸出 返却 延滞 督促 利用者 図書館 お知らせ 行事 おはなし会 "
              "library opac reserve patron card renew overdue notice event branch index search result page "
              "GET POST HTTP/1.1 200 304 404 500 Mozilla/4.0 compatible MSIE Windows NT").split()


def tree_text(r, kind, uid, size):
    """Text of about `size` bytes whose first line makes it unique."""
    head = {"page": f"<!-- {uid} -->\n<html><head><title>{uid}</title></head><body>\n",
            "style": f"/* {uid} */\n", "script": f"// {uid}\n", "cgi": f"#!/usr/bin/perl\n# {uid}\n",
            "conf": f"# {uid}\n", "log": f"# {uid}\n", "export": f"# {uid}\n"}[kind]
    out, n = [head], len(head)
    words, choice = TREE_WORDS, r.choice
    while n < size:
        if kind == "log":
            line = (f"192.168.{r.randrange(256)}.{r.randrange(256)} - - [{1 + r.randrange(28):02d}/Aug/2010:"
                    f"{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d} +0900] "
                    f"\"GET /{choice(words)}/{r.randrange(10**6)}.html HTTP/1.1\" {choice((200, 200, 304, 404))} "
                    f"{r.randrange(50000)}\n")
        elif kind == "export":
            line = f"{r.randrange(10**10):010d},{choice(words)},{choice(words)},{r.randrange(10**8):08d}\n"
        else:
            line = " ".join(choice(words) for _ in range(12)) + "\n"
        out.append(line)
        n += len(line.encode("utf-8"))
    return "".join(out).encode("utf-8")


def tree_binary(r, kind, uid, size):
    magic = {"png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff\xe0", "gif": b"GIF89a", "pdf": b"%PDF-1.4\n"}[kind]
    head = magic + uid.encode() + b"\n"
    return head + r.randbytes(max(0, size - len(head)))


def cmd_trees(args):
    """DIR/before and DIR/after: a web server's files before and after an incident, with
    every class of change at a known count. Contents are unique (each carries its own id)
    except for the duplicate pairs made on purpose."""
    N = args.files
    if N < 100:
        raise SystemExit("generate.py: error: --files must be at least 100")
    r = random.Random(f"trees:{args.seed}")
    serial = [0]

    def content(kind, ext, size=None):
        serial[0] += 1
        uid = f"kensho-bench-{args.seed}-{serial[0]:06d}"
        lo, hi = next((k[4], k[5]) for k in TREE_KINDS if k[0] == kind)
        size = size or int(lo * (hi / lo) ** r.random())  # log-uniform
        if ext in ("png", "jpg", "gif", "pdf"):
            return tree_binary(r, ext, uid, size)
        return tree_text(r, kind, uid, size)

    kind_urn = urn(k[1] for k in TREE_KINDS)
    used = set()

    def new_path(kind=None, prefix=""):
        while True:
            k = TREE_KINDS[kind_urn[int(r.random() * len(kind_urn))]] if kind is None else kind
            d = r.choice(k[2]).format(branch=r.choice(TREE_BRANCHES), year=r.randrange(2003, 2011))
            ext = r.choice(k[3])
            stem = {"log": f"access_log.{r.randrange(2003, 2011)}{r.randrange(1, 13):02d}{r.randrange(1, 29):02d}"}.get(
                k[0], f"{r.choice(TREE_STEMS)}{r.randrange(10000):04d}")
            path = f"{prefix}{d}/{stem}.{ext}"
            if path not in used:
                used.add(path)
                return path, k

    T0 = dt.datetime(2008, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    T1 = dt.datetime(2010, 9, 1, tzinfo=dt.timezone.utc).timestamp()
    T2 = dt.datetime(2010, 9, 30, tzinfo=dt.timezone.utc).timestamp()
    before, after = {}, {}  # path -> (bytes, mtime)
    kept_pairs, replaced_pairs = max(1, N // 100), max(1, N // 300)
    singles = N - 2 * (kept_pairs + replaced_pairs)
    changes = []  # (class, path, old_path)
    for _ in range(singles):
        path, k = new_path()
        before[path] = (content(k[0], path.rsplit(".", 1)[1]), T0 + r.random() * (T1 - T0))
    single_paths = sorted(before)
    r.shuffle(single_paths)
    pairs = []
    for _ in range(kept_pairs + replaced_pairs):  # the same file in two places (a logo, a copied page)
        path, k = new_path()
        data, mtime = content(k[0], path.rsplit(".", 1)[1]), T0 + r.random() * (T1 - T0)
        twin = path.split("/", 1)[0] + "/old/" + path.split("/", 1)[1]
        if twin in used:
            raise SystemExit("generate.py: internal error: duplicate twin path")
        used.add(twin)
        before[path] = before[twin] = (data, mtime)
        pairs.append((path, twin))
    after = dict(before)
    n_mod, n_move, n_copy, n_del, n_new = (N * 5 // 100, N * 3 // 100, N * 2 // 100, N * 3 // 100, N * 4 // 100)
    it = iter(single_paths)
    for _ in range(n_mod):  # edited in place (a page, a log that grew, a defaced index)
        p = next(it)
        ext = p.rsplit(".", 1)[1]
        kind = next(k[0] for k in TREE_KINDS if ext in k[3])  # each extension belongs to one kind
        after[p] = (content(kind, ext), T1 + r.random() * (T2 - T1))
        changes.append(("modified", p, p))
    for _ in range(n_move):  # moved elsewhere (a directory reorganized)
        p = next(it)
        top, rest = p.split("/", 1)
        q = f"{top}/archive/{rest}"
        if q in used:
            raise SystemExit("generate.py: internal error: moved path taken")
        used.add(q)
        after[q] = after.pop(p)
        changes.append(("moved", q, p))
    for _ in range(n_copy):  # copied, the original left in place (a backup, a list put up for download)
        p = next(it)
        stem, ext = p.rsplit(".", 1)
        q = (f"{p}.bak", f"{stem}_copy.{ext}", f"htdocs/uploads/{p.rsplit('/', 1)[1]}")[int(r.random() * 3)]
        if q in used:
            q = f"{p}.orig"
        used.add(q)
        after[q] = (before[p][0], T1 + r.random() * (T2 - T1))
        changes.append(("copied", q, p))
    for _ in range(n_del):  # deleted
        p = next(it)
        del after[p]
        changes.append(("deleted", p, p))
    for _ in range(n_new):  # new content (uploads, new pages, a web shell)
        q, k = new_path(prefix=("", "", "", "htdocs/uploads/")[int(r.random() * 4)])
        after[q] = (content(k[0], q.rsplit(".", 1)[1]), T1 + r.random() * (T2 - T1))
        changes.append(("new", q, ""))
    for p, twin in pairs[kept_pairs:]:  # both copies gone, the content put at one new place
        data = after.pop(p)[0]
        del after[twin]
        q = f"backup/{p}"
        used.add(q)
        after[q] = (data, T1 + r.random() * (T2 - T1))
        changes += [("deleted", p, p), ("deleted", twin, twin), ("copied", q, p)]
    classes = {c: 0 for c in ("same", "modified", "moved", "copied", "deleted", "new")}
    for c, *_ in changes:
        classes[c] += 1
    classes["same"] = sum(1 for p in after if p in before and after[p][0] == before[p][0])
    # the class counts follow from the construction: check them against the rule itself
    assert classes["same"] == singles - n_mod - n_move - n_del + 2 * kept_pairs
    assert len(before) == N

    if os.path.exists(args.out) and os.listdir(args.out):
        raise SystemExit(f"generate.py: error: '{args.out}' is not empty")
    for side, files in (("before", before), ("after", after)):
        for path, (data, mtime) in sorted(files.items()):
            full = os.path.join(args.out, side, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(data)
            os.utime(full, (mtime, mtime))
    manifest = {
        "generator": GENERATOR, "version": VERSION, "source": SOURCE_SHA, "kind": "trees", "seed": args.seed,
        "files_before": len(before), "files_after": len(after),
        "bytes_before": sum(len(d) for d, _ in before.values()),
        "bytes_after": sum(len(d) for d, _ in after.values()),
        "classes": classes,
        "scenarios": {"duplicate_pairs_kept": kept_pairs, "duplicate_pairs_replaced_by_one_copy": replaced_pairs},
        "changes": [{"class": c, "path": q, "old_path": p} for c, q, p in sorted(changes, key=lambda x: (x[0], x[1]))],
    }
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{args.out}: {len(before)} files before, {len(after)} after; {classes}", file=sys.stderr)


def main(argv=None):
    gc.disable()  # millions of short-lived objects and no cycles: the collector only costs time
    ap = argparse.ArgumentParser(prog="generate.py", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    def rows(v):
        n = int(v.replace("_", ""))
        if n < 0:
            raise argparse.ArgumentTypeError("must be 0 or more")
        return n

    p = sub.add_parser("patrons", help="one library's patron export")
    p.add_argument("-o", "--out", required=True, help="CSV file to write")
    p.add_argument("--rows", type=rows, default=1_000_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--encoding", choices=("utf-8", "cp932"), default="utf-8")
    p.add_argument("--newline", choices=("lf", "crlf"), default=None,
                   help="default: lf for utf-8, crlf for cp932")
    p.add_argument("--bom", action="store_true", help="start with a UTF-8 byte order mark")
    p.add_argument("--header", choices=sorted(HEADERS), default="std")
    p.add_argument("--shared-with", metavar="FILE", help="a file from this generator to share people with")
    p.add_argument("--shared", type=rows, default=0, metavar="N", help="how many people to share")
    p.add_argument("--duplicates", type=rows, default=0, metavar="D",
                   help="write D of the people twice, the second time re-spelled (rows - D distinct people)")
    p.set_defaults(func=cmd_patrons)

    p = sub.add_parser("systems", help="a sweep: K libraries' exports with leaked copies")
    p.add_argument("-o", "--out", required=True, help="directory to write into")
    p.add_argument("--systems", type=int, required=True, metavar="K")
    p.add_argument("--rows", type=rows, default=1_500_000, help="rows over all files")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_systems)

    p = sub.add_parser("trees", help="a web server's files before and after, every class of change")
    p.add_argument("-o", "--out", required=True, help="directory to write before/ and after/ into")
    p.add_argument("--files", type=rows, default=3000, help="files in before/")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_trees)

    p = sub.add_parser("keys", help="two one-column files sharing N key values")
    p.add_argument("-o", "--out", required=True, help="first CSV file")
    p.add_argument("-b", required=True, help="second CSV file")
    p.add_argument("--rows", type=rows, default=1_000_000)
    p.add_argument("--shared", type=rows, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_keys)

    args = ap.parse_args(argv)
    if getattr(args, "newline", "") is None:
        args.newline = "crlf" if args.encoding == "cp932" else "lf"
    args.func(args)


if __name__ == "__main__":
    main()
