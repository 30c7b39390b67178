"""duplicate-article on archives: many identical copies, and copies that differ only by per-file lines."""
import re
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lintnews.document import Document
from lintnews.rules.duplicates import DuplicateArticle, all_shapes, sentence_hashes
from lintnews.testing import lint_files

STORIES = [
    ["沪指今日收涨，成交额较上一交易日明显放大。", "券商板块领涨两市，银行股整体走弱。",
     "分析人士认为市场情绪有所回暖。", "后市仍需关注成交量能的持续变化。"],
    ["国家统计局发布了最新一期居民消费价格数据。", "食品价格环比小幅回落，服务价格保持平稳。",
     "核心通胀指标与上月基本持平。", "专家预计下半年物价将温和回升。"],
    ["多地文旅部门推出暑期消费促进活动。", "景区门票优惠与消费券发放同步展开。",
     "部分热门城市酒店预订量同比大幅增长。", "业内人士提醒游客提前规划错峰出行。"],
    ["新能源车企公布上半年交付数据。", "多家企业交付量创下历史同期新高。",
     "海外市场成为拉动增长的重要力量。", "行业竞争加剧，价格战仍在持续。"],
]


def archived(story: list[str], day: int, image: str) -> str:
    """An archive copy: the story, an image, and two per-file stamp lines."""
    return ("\n".join(story) + f"\n![配图]({image})\n"
            + f"本文存档于2020年5月{day}日上午十点。\n全文共计{1000 + day * 37}字，阅读约需{day % 9 + 2}分钟。\n")


def test_copies_differing_only_in_stamp_lines_and_image_urls_are_found_in_an_archive():
    files = {"posts/a.md": archived(STORIES[0], 14, "https://img.example.com/2020/0514/a.jpg"),
             "posts/b.md": archived(STORIES[0], 21, "//cdn.example.org/mirror/b.png?w=640")}
    files.update({f"posts/other-{n}.md": archived(story, n + 3, f"https://img.example.com/{n}.jpg")
                  for n, story in enumerate(STORIES[1:])})
    findings = lint_files(files, ["duplicate-article"])
    assert [(f.path, f.line, f.column, f.message) for f in findings] == [
        ("posts/a.md", 1, 1, "nearly the same article as posts/b.md: 100% of its text is in the other"),
        ("posts/b.md", 1, 1, "nearly the same article as posts/a.md: 100% of its text is in the other"),
    ]


def test_stamps_written_in_fullwidth_digits_are_told_apart_as_well():
    # the numbers of these stamps are not ASCII: they are written 0 the slow, general way
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    files = {"posts/a.md": archived(STORIES[0], 14, "https://img.example.com/a.jpg").translate(wide),
             "posts/b.md": archived(STORIES[0], 21, "https://img.example.com/a.jpg").translate(wide)}
    files.update({f"posts/other-{n}.md": archived(story, n + 3, f"https://img.example.com/{n}.jpg").translate(wide)
                  for n, story in enumerate(STORIES[1:])})
    findings = lint_files(files, ["duplicate-article"])
    assert [(f.path, f.line, f.column, f.message) for f in findings] == [
        ("posts/a.md", 1, 1, "nearly the same article as posts/b.md: 100% of its text is in the other"),
        ("posts/b.md", 1, 1, "nearly the same article as posts/a.md: 100% of its text is in the other"),
    ]


def test_with_too_few_articles_to_tell_stamps_from_text_the_stamps_count():
    # two stamp sentences of six differ: 4 shared of 8, under the 0.8 threshold
    files = {"a.md": archived(STORIES[0], 14, "https://img.example.com/a.jpg"),
             "b.md": archived(STORIES[0], 21, "https://img.example.com/a.jpg"),
             "c.md": archived(STORIES[1], 3, "https://img.example.com/c.jpg")}
    assert lint_files(files, ["duplicate-article"]) == []


def test_a_sentence_every_article_shares_word_for_word_is_text_not_a_stamp():
    footer = "本网站所有内容版权归原作者所有2020。"
    files = {f"{n}.md": "\n".join(story) + "\n" + footer + "\n" for n, story in enumerate(STORIES)}
    files["copy.md"] = "\n".join(STORIES[0][:3]) + "\n" + footer + "\n"
    # 3 story sentences and the footer shared of 5 (80%; without the footer, 3 of 4): 67 of 0.md's 82 letters
    assert [(f.path, f.message) for f in lint_files(files, ["duplicate-article"])] == [
        ("0.md", "nearly the same article as copy.md: 82% of its text is in the other"),
        ("copy.md", "nearly the same article as 0.md: 100% of its text is in the other"),
    ]


def test_a_stamp_is_per_file_only_where_its_numbers_vary_in_more_than_half_of_the_bodies():
    def stamped(story: list[str], stamp: str) -> str:
        return "\n".join(story) + f"\n本文存档于{stamp}上午十点。\n"

    # four of five bodies have the stamp's shape, but two of them as written (all numbers 0):
    # it varies in only two, not more than half, so it is text and a and b differ by it
    files = {"a.md": stamped(STORIES[0], "2020年5月14日"), "b.md": stamped(STORIES[0], "2021年6月21日"),
             "c.md": stamped(STORIES[1], "0年0月0日"), "d.md": stamped(STORIES[2], "0年0月0日"),
             "e.md": "\n".join(STORIES[3]) + "\n"}
    assert lint_files(files, ["duplicate-article"]) == []
    # where it varies in three, it is a per-file stamp, and a and b are the same story
    files["c.md"] = stamped(STORIES[1], "2022年7月1日")
    assert [(f.path, f.line, f.column, f.message) for f in lint_files(files, ["duplicate-article"])] == [
        ("a.md", 1, 1, "nearly the same article as b.md: 100% of its text is in the other"),
        ("b.md", 1, 1, "nearly the same article as a.md: 100% of its text is in the other"),
    ]


def test_a_stamp_written_many_times_counts_once_per_body():
    # the stamp's shape is written six times, more than half of the five bodies, but it is in
    # two bodies only: a's stamps are its own text, and a is not b with stamps added
    stamps = "".join(f"本文存档于2020年5月{day}日上午十点。\n" for day in range(1, 6))
    files = {"a.md": "\n".join(STORIES[0]) + "\n" + stamps, "b.md": "\n".join(STORIES[0]) + "\n"}
    files.update({f"other-{n}.md": "\n".join(story) + "\n" for n, story in enumerate(STORIES[1:])})
    files["other-0.md"] += "本文存档于2021年6月21日上午十点。\n"
    assert lint_files(files, ["duplicate-article"]) == []
    # in three bodies, they are per-file lines, and a and b are the same story
    files["other-1.md"] += "本文存档于2022年7月1日上午十点。\n"
    assert [(f.path, f.line, f.column, f.message) for f in lint_files(files, ["duplicate-article"])] == [
        ("a.md", 1, 1, "nearly the same article as b.md: 100% of its text is in the other"),
        ("b.md", 1, 1, "nearly the same article as a.md: 100% of its text is in the other"),
    ]


def test_copies_differing_only_in_image_urls_are_the_same_body():
    text = "\n".join(STORIES[1]) + "\n![图表](https://img.cdn.163.com/cpi/{}.png)\n"
    findings = lint_files({"a.md": text.format("2020-06"), "b.md": text.format("mirror-77")}, ["duplicate-article"])
    assert [(f.path, f.line, f.column, f.message) for f in findings] == [
        ("a.md", 1, 1, "same article body as b.md"), ("b.md", 1, 1, "same article body as a.md")]


def test_a_pair_too_unlike_in_size_is_settled_on_counts_and_one_close_enough_is_compared():
    # b is a's four sentences and two more: 4 of 6 shared, and 4 / 6 is also the most that
    # their sizes allow; under 0.8 the pair is settled on counts, at 0.6 it is compared
    files = {"a.md": "\n".join(STORIES[0]) + "\n", "b.md": "\n".join(STORIES[0] + STORIES[1][:2]) + "\n"}
    assert lint_files(files, ["duplicate-article"]) == []
    findings = lint_files(files, ["duplicate-article"], {"duplicate-article": {"threshold": 0.6}})
    assert [(f.path, f.line, f.column, f.message) for f in findings] == [
        ("a.md", 1, 1, "nearly the same article as b.md: 100% of its text is in the other"),
        ("b.md", 1, 1, "nearly the same article as a.md: 62% of its text is in the other"),  # 63 of 101 letters
    ]


def test_articles_sharing_a_hash_are_paired_in_order_of_size_up_to_the_first_out_of_reach():
    # a (6 sentences) holds b (5) and b holds c (4): a-b and b-c reach 0.8 (5/6, 4/5), a-c
    # (4/6) is settled on counts; the paths sort against the order of size
    story = _sentences(0, 6)
    files = {"a.md": "\n".join(story) + "\n", "b.md": "\n".join(story[:5]) + "\n", "c.md": "\n".join(story[:4]) + "\n"}
    assert [(f.path, f.line, f.column, f.message) for f in lint_files(files, ["duplicate-article"])] == [
        ("a.md", 1, 1, "nearly the same article as b.md: 83% of its text is in the other"),
        ("b.md", 1, 1, "nearly the same article as a.md (and 1 more): 100% of its text is in the other"),
        ("c.md", 1, 1, "nearly the same article as b.md: 100% of its text is in the other"),
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 40), max_size=30), st.sampled_from([0.3, 0.6, 0.8, 0.95, 1.0]))
def test_the_pairs_in_reach_are_those_of_all_pairs_not_out_of_reach_on_counts(counts, threshold):
    from itertools import combinations

    from lintnews.rules.duplicates import _in_reach, _out_of_reach

    sizes = dict(enumerate(counts))
    made = list(_in_reach(list(sizes), sizes, threshold))
    assert len(made) == len(set(made))
    assert set(made) == {(a, b) for a, b in combinations(sizes, 2) if not _out_of_reach(sizes[a], sizes[b], threshold)}


def test_copies_differing_in_image_urls_are_found_whether_the_urls_end_in_ascii_or_run_on_beyond_it():
    def with_image(story: list[str], line: str) -> str:
        return "\n".join(story) + "\n" + line + "\n"

    files = {  # the URLs of a and b run on into a comma (read case-folded), those of c and d end at a space
        "a.md": with_image(STORIES[0], "见图 https://img.example.com/2020/a.png，来源网络。"),
        "b.md": with_image(STORIES[0], "见图 //cdn.example.org/B.JPG，来源网络。"),
        "c.md": with_image(STORIES[1], "见图 HTTPS://img.example.com/c.PNG 来源网络。"),
        "d.md": with_image(STORIES[1], "见图 http://cdn.example.org/d.webp?w=640 来源网络。"),
        # a word character after ".png" ends no image: the URL is text, and e and f differ by it
        "e.md": with_image(STORIES[2], "见图 //img.example.com/e.png来源网络。"),
        "f.md": with_image(STORIES[2], "见图 //img.example.com/f.png来源网络。")}
    findings = lint_files(files, ["duplicate-article"])
    assert [(f.path, f.line, f.column, f.message) for f in findings] == [
        ("a.md", 1, 1, "same article body as b.md"), ("b.md", 1, 1, "same article body as a.md"),
        ("c.md", 1, 1, "same article body as d.md"), ("d.md", 1, 1, "same article body as c.md")]


def _sentences(first: int, count: int) -> list[str]:
    """``count`` different sentences of ten ideographs (no number), the ``first`` one on."""
    return ["".join(chr(0x4E00 + 10 * n + k) for k in range(10)) + "。" for n in range(first, first + count)]


def test_a_pair_settled_on_a_few_sentences_and_pairs_that_are_not_get_their_exact_verdicts():
    story = _sentences(0, 20)
    files = {"a.md": "\n".join(story) + "\n",
             # its first two sentences are another story's: 18 of 22 shared (82%) though 2 of the
             # first 12 are missing from a.md, so it is compared on all of them
             "b.md": "\n".join(_sentences(100, 2) + story[2:]) + "\n",
             # four missing among the first 12: at most 16 of 24 shared, under 0.8 without the rest
             "c.md": "\n".join(_sentences(200, 4) + story[4:]) + "\n"}
    assert [(f.path, f.line, f.column, f.message) for f in lint_files(files, ["duplicate-article"])] == [
        ("a.md", 1, 1, "nearly the same article as b.md: 90% of its text is in the other"),
        ("b.md", 1, 1, "nearly the same article as a.md: 90% of its text is in the other"),
    ]
    # at 0.6 the sample settles nothing (16 of 24 is 67%): c.md is found too, as near a.md as b.md
    findings = lint_files(files, ["duplicate-article"], {"duplicate-article": {"threshold": 0.6}})
    assert [(f.path, f.line, f.column, f.message) for f in findings] == [
        ("a.md", 1, 1, "nearly the same article as b.md (and 1 more): 90% of its text is in the other"),
        ("b.md", 1, 1, "nearly the same article as a.md (and 1 more): 90% of its text is in the other"),
        ("c.md", 1, 1, "nearly the same article as a.md (and 1 more): 80% of its text is in the other"),
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=40, unique=True),
       st.lists(st.integers(0, 60), min_size=1, max_size=40, unique=True), st.sampled_from([0.3, 0.6, 0.8, 0.95, 1.0]))
def test_the_similarity_of_a_pair_is_the_plain_jaccard_similarity_where_it_reaches_the_threshold(a, b, threshold):
    from lintnews.rules.duplicates import _similarity

    shared = len(set(a) & set(b))
    plain = shared / (len(a) + len(b) - shared)
    assert _similarity(dict.fromkeys(a, 1), dict.fromkeys(b, 1), threshold) == (plain if plain >= threshold else None)


@settings(max_examples=300, deadline=None)
@given(st.sets(st.integers(0, 2**32 - 1), max_size=200) | st.sets(st.integers(2**32 - 4000, 2**32 - 1), max_size=200))
def test_the_smallest_hashes_are_the_first_of_all_of_them_sorted_whether_few_or_many_are_under_the_bound(hashes):
    from lintnews.rules.duplicates import _smallest

    # the second kind are all near the top: none under the bound, every one of them is sorted
    assert _smallest(hashes) == sorted(hashes)[:8]


def test_copies_of_long_articles_are_paired_on_their_smallest_hashes_found_under_a_bound():
    story = _sentences(0, 40)  # over 32 sentences: their smallest hashes are looked for under a bound
    files = {"a.md": "\n".join(story) + "\n", "b.md": "\n".join(story[:38] + _sentences(100, 2)) + "\n",
             "c.md": "\n".join(_sentences(200, 40)) + "\n"}
    assert [(f.path, f.line, f.column, f.message) for f in lint_files(files, ["duplicate-article"])] == [
        ("a.md", 1, 1, "nearly the same article as b.md: 95% of its text is in the other"),
        ("b.md", 1, 1, "nearly the same article as a.md: 95% of its text is in the other"),
    ]


def _judged_copies(count: int) -> tuple[dict, int]:
    """The verdicts on ``count`` identical placeholder pages, and the peak memory of judging them."""
    rule = DuplicateArticle.check({"threshold": 0.8, "min-sentences": 3}, None)
    _, summary = rule.summarize(Document("pages/00000.md", "\n".join(STORIES[2])))
    summaries = [(f"pages/{n:05}.md", *summary[1:]) for n in range(count)]
    tracemalloc.start()
    verdicts = rule.judge(summaries)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return verdicts, peak


def test_identical_pages_are_grouped_once_and_memory_grows_linearly():
    verdicts, small = _judged_copies(1000)
    assert verdicts[0] == "same article body as pages/00001.md (and 998 more)"
    assert verdicts[999] == "same article body as pages/00000.md (and 998 more)"
    verdicts, large = _judged_copies(4000)
    assert len(verdicts) == 4000 and verdicts[3999] == "same article body as pages/00000.md (and 3998 more)"
    assert large < small * 8  # four times the pages: linear is 4x, every copy paired with every other 16x


def _reference_sentences(text: str) -> list[str]:
    """The sentences as the rule defines them, written plainly: case-folded, image URLs out,
    cut at line breaks, ``。！？；!?;`` and a full stop before a space, then only letters,
    digits and "_" kept; sentences of at least eight of them count."""
    import re

    text = re.sub(r"(!\[[^\]\n]*\])\([^)\n]*\)", r"\1", text.casefold())
    text = re.sub(r"//[^\s\"'<>()]*\.(?:png|jpe?g|gif|webp|svg|bmp|avif)(?:\?[^\s\"'<>()]*)?(?![\w/%-])", "",
                  text.replace("https://", "//").replace("http://", "//"))
    cut = re.split(r"[\n。！？；!?;]|\. ", text)
    return [kept for sentence in cut if len(kept := re.sub(r"\W", "", sentence)) >= 8]


def test_sentences_are_cut_and_stripped_as_defined_whatever_the_characters():
    import zlib

    text = ("Tabs\tand\x0bform\x0cfeeds, \x1cfile\x1dseparators\x1f: one sentence here. Ｆｕｌｌ　ｗｉｄｔｈ\u3000"
            "ＡＢＣ１２３ and\xa0no-break spaces\u2028still one!Snake_case_words_kept;Ünïcödé ŞTRAßE İstanbul?"
            "沪指今日收涨，成交额较上一交易日明显放大。“券商板块”领涨两市；3.5 percent—up 12% on 2020-05-14\r\n"
            "![Chart](HTTPS://IMG.EXAMPLE.COM/A.PNG) caption text of the chart\n٣٤٥ Arabic-Indic digits kept too"
            "\ud800 a lone surrogate is dropped like a symbol. short. ")
    found = sentence_hashes(text)
    expected = _reference_sentences(text)
    assert len(expected) == 9
    assert list(found.hashes) == [zlib.crc32(sentence.encode()) for sentence in expected]
    assert list(found.lengths) == [len(sentence) for sentence in expected]
    shapes = [zlib.crc32(re.sub(r"\d+", "0", sentence).encode()) for sentence in expected]
    assert list(all_shapes(found.hashes, found.numbered, found.shapes)) == shapes
    # only the sentences that are not letters alone have a shape of their own
    assert [expected[at] for at in found.numbered] == [sentence for sentence in expected if not sentence.isalpha()]
    assert list(found.shapes) == [shapes[at] for at in found.numbered]


# pieces of text where the rule's fast paths could part from its definition: ASCII and wide
# digits (Arabic-Indic ٣, fullwidth １, superscript ², ideographic 〇), runs of 0s, letters that
# case-fold into more than one character or into marks (ß, İ, U+0345) or into ASCII (ſ, the
# Kelvin sign, ﬆ), wide and ASCII sentence ends, image URLs in every spelling, some running
# on into characters beyond ASCII, a lone surrogate and a symbol outside the BMP
_PIECES = ["a", "Z", "x_y", "0", "00", "7", "2020", "٣", "١٢", "１", "２０", "²", "〇", "ß", "İ", "\u0345",
           "ǅ", "沪指", "收涨", "成交额", "，", "。", "！", "？", "；", "、", "“", "”", "\u3000", "\xa0", " ",
           ". ", ".", "\n", "\t", "!", ";", "?", "-", "HTTPS://", "http://", "//", "img.example.com/",
           "A.PNG", ".jpg", "?w=1", "![", "](", ")", "\ud800", "😀", "sentence_eight",
           "ſ", "\u212a", "ﬆ", "é", "É", "Ａ", "ſvg", "httpſ:", "中a.png", ".SVG中"]


def _reference(text: str) -> tuple[bytes | None, list[int], list[int], list[int], list[int]]:
    """What ``sentence_hashes`` gives, worked out plainly: the digest of all the kept letters,
    and per sentence of at least eight letters its CRC-32, length, and shape where it is not
    letters alone (the CRC-32 of the sentence with each number written 0)."""
    import zlib

    from lintnews.hashes import blake2b

    sentences = _reference_sentences(text)
    text = re.sub(r"(!\[[^\]\n]*\])\([^)\n]*\)", r"\1", text.casefold())
    text = re.sub(r"//[^\s\"'<>()]*\.(?:png|jpe?g|gif|webp|svg|bmp|avif)(?:\?[^\s\"'<>()]*)?(?![\w/%-])", "",
                  text.replace("https://", "//").replace("http://", "//"))
    letters = re.sub(r"\W", "", text)
    numbered = [at for at, sentence in enumerate(sentences) if not sentence.isalpha()]
    return (blake2b(letters.encode(), digest_size=16).digest() if len(letters) >= 8 else None,
            [zlib.crc32(sentence.encode()) for sentence in sentences], [len(sentence) for sentence in sentences],
            numbered, [zlib.crc32(re.sub(r"\d+", "0", sentences[at]).encode()) for at in numbered])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_sentences_are_as_defined_on_any_mix_of_the_characters_that_could_part_them(text):
    found = sentence_hashes(text)
    expected = _reference(text)
    if expected[0] is None:
        assert found.digest is None and not found.hashes
    else:
        assert (found.digest, list(found.hashes), list(found.lengths), list(found.numbered), list(found.shapes)) \
            == expected


# pieces of URLs where dropping the schemes per match could part from replacing them in the
# whole text first: schemes cut short, doubled or one inside the other ("http:https://"), in
# and after runs with or without an image, at an extension's end and in its query; and where
# finding them in UTF-8 before case-folding could part from finding them in the folded text:
# capitals, runs going on into characters beyond ASCII (spaces, word characters or neither)
# and letters that fold into ASCII ones ("ſ" into "s")
_URL_PIECES = ["https:", "http:", "https://", "http://", "h", "ttp", "ttps", "s", ":", "/", "//", "a", "中",
               ".png", ".jpg", "?q", "%", "-", ".", " ", "\u3000", "(", ")", "\n", "![", "HTTPS://", ".PNG",
               "ſ", "ſ:", "httpſ:", "\u212a", "\xa0", "，", "\x1c", "\u0345"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_URL_PIECES), max_size=30).map("".join))
def test_image_urls_and_schemes_are_dropped_as_defined_on_any_mix_of_url_pieces(text):
    from lintnews.rules.duplicates import _without_image_urls

    folded = text.casefold()
    expected = re.sub(r"//[^\s\"'<>()]*\.(?:png|jpe?g|gif|webp|svg|bmp|avif)(?:\?[^\s\"'<>()]*)?(?![\w/%-])", "",
                      folded.replace("https://", "//").replace("http://", "//"))
    # given the UTF-8 with small ASCII letters, folded beyond ASCII only where it has to be
    assert _without_image_urls(text.encode().lower()).decode().casefold() == expected


@pytest.mark.parametrize("text, expected", [
    # runs of ASCII, read in UTF-8 as they are
    ("见 HTTPS://x.com/A.PNG 来源", "见  来源"), ("见 http://x.com/a 来源", "见 //x.com/a 来源"),
    # runs going on beyond ASCII, read in the text case-folded: a word character after an
    # extension ends no image, a comma or a wide space does
    ("见 //x.com/a.png来源", "见 //x.com/a.png来源"), ("见 //x.com/a.png，来源", "见 ，来源"),
    ("见 //x.com/a.png?w=1\u3000来源", "见 \u3000来源"),
    # letters that fold into ASCII ones make a scheme or an extension
    ("httpſ://x.com/a 与 https://y.com/b", "//x.com/a 与 //y.com/b"), ("//x.com/a.ſvg 中", " 中"),
])
def test_urls_are_read_in_utf8_where_they_are_ascii_and_in_the_folded_text_where_not(text, expected):
    from lintnews.rules.duplicates import _without_image_urls

    assert _without_image_urls(text.encode().lower()).decode() == expected


def test_case_folding_makes_nothing_that_the_steps_before_it_look_for():
    from lintnews.rules.duplicates import _FOLD_FREE_UTF8

    for code in range(0x110000):
        character = chr(code)
        if 0xD800 <= code < 0xE000 or (folded := character.casefold()) == character:
            continue
        # a folded letter is letters, digits and marks: no space, punctuation or sentence end
        assert all(part.isalnum() or not part.isascii() and not part.isspace() for part in folded), hex(code)
        assert not set(folded) & set("。！？；\u0345"), hex(code)
        assert folded.casefold() == folded, hex(code)
        # a character that is no word character folds into none, but U+0345 (kept until folded)
        assert re.fullmatch(r"\w", character) or code == 0x345 or not re.search(r"\w", folded), hex(code)
        # and, beyond ASCII (whose capitals are written small apart), its UTF-8 has a byte that
        # tells it may fold
        assert code < 0x80 or set(character.encode()) - set(_FOLD_FREE_UTF8), hex(code)


def test_the_bytes_that_may_start_a_wide_digit_are_all_there():
    from lintnews.rules.duplicates import _WIDE_DIGIT_LEADS

    leads = {chr(code).encode()[:1] for code in range(0x80, 0x110000)
             if not 0xD800 <= code < 0xE000 and re.fullmatch(r"\d", chr(code))}
    assert leads == set(_WIDE_DIGIT_LEADS)


def test_the_characters_named_ahead_of_the_word_class_are_word_characters():
    from lintnews.rules.duplicates import _NAMED_WORD

    named = [chr(code) for code in range(0x10000) if re.fullmatch(f"[{_NAMED_WORD}]", chr(code))]
    assert len(named) == 20992 + 6592 + 26 + 10 + 1
    assert all(re.fullmatch(r"\w", character) for character in named)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + _URL_PIECES + ["\0"]), max_size=60).map("".join), st.integers(1, 5))
def test_an_article_told_too_short_before_reducing_it_has_too_few_sentences(text, needed):
    from lintnews.rules.duplicates import _too_few_sentences

    found = sentence_hashes(text)
    if _too_few_sentences(text, 0, needed):
        assert found.digest is None or len(set(found.hashes)) < needed
    # told from the ends after ``start`` alone
    assert _too_few_sentences("。。。" + text, 3, needed) == _too_few_sentences(text, 0, needed)


def test_stubs_told_before_reducing_them_and_articles_just_long_enough_keep_their_exact_findings():
    def run(text: str, min_sentences: int = 3) -> list[tuple[str, int, int, str]]:
        files = {"a.md": "---\ntitle: A\n---\n\n" + text, "b.md": text}
        options = {"duplicate-article": {"min-sentences": min_sentences}}
        return [(f.path, f.line, f.column, f.message) for f in lint_files(files, ["duplicate-article"], options)]

    copies = [("a.md", 5, 1, "same article body as b.md"), ("b.md", 1, 1, "same article body as a.md")]
    # one end with text after it: two sentences at most, told from the text; the line breaks
    # after the last sentence end nothing
    assert run("Twelve letters here\nand the second sentence\n\n \n") == []
    assert run("Twelve letters here\nand the second sentence\n\n \n", min_sentences=2) == copies
    # a full stop before an image URL becomes an end once the URL is taken out: three sentences
    text = "The first sentence.//img.example.com/a.png The second one\nthe third sentence\n"
    assert run(text) == copies
    # without the URL and its space, "." ends no sentence there: two, told once the text is reduced
    assert run(text.replace("//img.example.com/a.png ", "")) == []
