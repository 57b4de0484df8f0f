import pytest

from training_plan.text import (
    format_money,
    money_in_words,
    name_sort_key,
    normalise_search,
    number_to_words,
)


def test_normalise_search_strips_diacritics_and_case():
    assert normalise_search("Nguyễn Văn A") == "nguyen van a"
    assert normalise_search("NGUYỄN  VĂN   A") == "nguyen van a"
    assert normalise_search("Đặng Ngọc Huy") == "dang ngoc huy"
    assert normalise_search("đỗ đức") == "do duc"


def test_names_sort_by_given_name_first():
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Anh", "Phạm Bình"]
    assert sorted(names, key=name_sort_key) == [
        "Nguyễn Thị An",
        "Lê Anh",
        "Phạm Bình",
        "Trần Văn Bình",
    ]


def test_vietnamese_letters_order():
    # a < ă < â < b ; d < đ < e ; o < ô < ơ ; u < ư
    names = ["Lê Đông", "Lê Dũng", "Lê Ân", "Lê Ăn", "Lê An", "Lê Bảo", "Lê Ơn", "Lê Ôn", "Lê On"]
    assert sorted(names, key=name_sort_key) == [
        "Lê An",
        "Lê Ăn",
        "Lê Ân",
        "Lê Bảo",
        "Lê Dũng",
        "Lê Đông",
        "Lê On",
        "Lê Ôn",
        "Lê Ơn",
    ]


def test_tones_only_break_ties_after_letters():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    names = ["Lê Mạnh", "Lê Mánh", "Lê Mãnh", "Lê Mảnh", "Lê Mành", "Lê Manh"]
    assert sorted(names, key=name_sort_key) == [
        "Lê Manh",
        "Lê Mành",
        "Lê Mảnh",
        "Lê Mãnh",
        "Lê Mánh",
        "Lê Mạnh",
    ]
    # A toned letter never jumps over a later base letter.
    assert name_sort_key("Lê Ác") < name_sort_key("Lê Ad")


def test_sort_key_is_plain_ascii_letters():
    key = name_sort_key("Nguyễn Thị Đào")
    assert key.isascii() and key.isalpha() and key.islower()


def test_format_money():
    assert format_money(11_147_406_000) == "11.147.406.000 đồng"
    assert format_money(0) == "0 đồng"


@pytest.mark.parametrize(
    "amount,words",
    [
        (11_147_406_000, "Mười một tỷ một trăm bốn mươi bảy triệu bốn trăm linh sáu nghìn đồng"),
        (7_237_406_000, "Bảy tỷ hai trăm ba mươi bảy triệu bốn trăm linh sáu nghìn đồng"),
        (3_910_000_000, "Ba tỷ chín trăm mười triệu đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (21, "Hai mươi mốt đồng"),
        (15, "Mười lăm đồng"),
        (24, "Hai mươi tư đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_money_in_words(amount, words):
    assert money_in_words(amount) == words


def test_number_to_words_zero_and_negative():
    assert number_to_words(0) == "không"
    with pytest.raises(ValueError):
        number_to_words(-1)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("Nguye\u0302\u0303n Va\u0306n Thành", "Nguyễn Văn Thành"),  # decomposed → NFC
        ("Trần\u200b Thị\u200d Hoa", "Trần Thị Hoa"),  # zero-width space and joiner
        ("\u202eanhT nắV nễyugN", "anhT nắV nễyugN"),  # right-to-left override
        ("Lê\u2066 Văn\u2069 Tám\ufeff", "Lê Văn Tám"),  # isolates, byte-order mark
        ("Phạm\x00 Văn\x1b Bảy", "Phạm Văn Bảy"),  # NUL and escape
        ("Võ\tVăn\nSáu", "Võ Văn Sáu"),  # one-line text: tab and line break are spaces
    ],
)
def test_clean_text_keeps_vietnamese_and_drops_what_disguises_text(typed, stored):
    from training_plan.text import clean_text

    assert clean_text(typed) == stored


def test_clean_text_keeps_line_breaks_of_multiline_text():
    from training_plan.text import clean_text

    assert clean_text("Dòng một\r\nDòng hai\u200b", multiline=True) == "Dòng một\nDòng hai"


def test_normalise_search_turns_control_characters_into_spaces():
    # NUL would be refused by PostgreSQL in a query (the person picker sent it as typed).
    assert normalise_search("Nguyễn\x00Văn\tĐức") == "nguyen van duc"
