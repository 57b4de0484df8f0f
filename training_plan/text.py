"""Vietnamese text rules: diacritic-free search, name ordering, money and amounts in words."""

import unicodedata

# Vietnamese alphabetical order; f, j, w, z appear in foreign names and sort as in Latin.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz0123456789"
# Marks that make a distinct letter (ă, â, ê, ô, ơ, ư) rather than a tone.
LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Tones in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
WORD_END = "aa"  # sorts before every letter code below


# Characters no name or note needs and that can disguise text: controls (NUL, escape, …) and
# invisible format characters (zero-width spaces and joiners, right-to-left overrides and
# isolates, the byte-order mark, soft hyphens). Vietnamese combining marks are kept (category M).
_INVISIBLE = {"Cc", "Cf", "Cs", "Co"}


def clean_text(text, *, multiline=False):
    """Text as stored: NFC (precomposed Vietnamese letters), no control or invisible
    characters; line breaks kept only in multi-line text, tabs become spaces."""
    text = unicodedata.normalize("NFC", text)
    kept = []
    for ch in text:
        if ch == "\n" and multiline:
            kept.append(ch)
        elif ch in "\t\r\n":
            kept.append(" " if ch != "\r" or not multiline else "")
        elif unicodedata.category(ch) not in _INVISIBLE:
            kept.append(ch)
    return "".join(kept)


def name_case(name):
    """A person's name in Vietnamese title case, whatever the keyboard gave: “nguyễn văn thành”
    and “NGUYỄN VĂN THÀNH” → “Nguyễn Văn Thành”. A word typed in mixed case on purpose
    (“H'Hen”, “McDonald”) is kept as typed."""
    words = []
    for word in name.split():
        if word.islower() or word.isupper():
            word = word[:1].upper() + word[1:].lower()
        words.append(word)
    return " ".join(words)


def identity_number_problem(number, *, date_of_birth, gender):
    """Why a 12-digit personal identity number disagrees with the date of birth and gender
    (digit 4: century and gender, 0/1 for 1900s male/female, 2/3 for 2000s …; digits 5–6: the
    year of birth), or "" when it agrees (or cannot be checked)."""
    if len(number) != 12 or not number.isdigit() or date_of_birth is None or not gender:
        return ""
    century = (date_of_birth.year - 1900) // 100
    expected = 2 * century + (1 if gender == "female" else 0)
    if not 0 <= expected <= 9:
        return ""
    if int(number[3]) != expected:
        born = "thế kỷ 20 (19xx)" if century == 0 else "thế kỷ 21 (20xx)"
        sex = "nữ" if gender == "female" else "nam"
        return (
            f"Số định danh cá nhân không khớp: chữ số thứ 4 là {number[3]}, nhưng người {sex} "
            f"sinh {born} phải là {expected}."
        )
    if number[4:6] != f"{date_of_birth.year % 100:02d}":
        return (
            f"Số định danh cá nhân không khớp: chữ số thứ 5–6 là {number[4:6]}, nhưng năm sinh "
            f"là {date_of_birth.year} (phải là {date_of_birth.year % 100:02d})."
        )
    return ""


def normalise_search(text):
    """Lower-case, strip diacritics, đ → d, collapse spaces: “Nguyễn Văn Đức” → “nguyen van duc”."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    # Control characters (NUL, which PostgreSQL refuses in text, tabs) separate words.
    stripped = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in decomposed
        if not unicodedata.combining(ch)
    )
    return " ".join(stripped.lower().split())


def _letter_code(index):
    # Two lower-case ASCII letters per letter, starting at "ab": sorts the same under any
    # collation (SQLite's binary, PostgreSQL's locale) because only [a-z] is used.
    index += 1
    return "abcdefghijklmnopqrstuvwxyz"[index // 26] + "abcdefghijklmnopqrstuvwxyz"[index % 26]


def _word_keys(word):
    letters, tone = [], 0
    for ch in word.lower():
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in LETTER_MARKS))
        for mark in marks:
            tone = TONES.get(mark, tone)
        position = ALPHABET.find(letter)
        letters.append(_letter_code(position if position >= 0 else len(ALPHABET)))
    return "".join(letters) + WORD_END, "abcdef"[tone]


def _words_key(words):
    keys = [_word_keys(word) for word in words]
    return "".join(letters for letters, _ in keys) + "".join(tone for _, tone in keys)


def name_sort_key(full_name):
    """Key that orders people's names the Vietnamese way.

    Given name (the last word) first, then family and middle names; letters in the Vietnamese
    alphabet (a ă â b c d đ …) and tones only where the letters are equal.
    """
    words = full_name.split()
    if not words:
        return ""
    return _words_key([words[-1], *words[:-1]])


def text_sort_key(text):
    """Key that orders a name of an organisation the Vietnamese way, word by word in order."""
    return _words_key(text.split())


def format_number(value):
    """11147406000 → “11.147.406.000” (Vietnamese thousands separator)."""
    return f"{int(value):,}".replace(",", ".")


def format_signed(value):
    """A difference: “+5.000”, “−5.000” (a minus sign, not a hyphen), “0”."""
    if not value:
        return "0"
    return ("+" if value > 0 else "\u2212") + format_number(abs(value))


def format_money(value):
    return f"{format_number(value)} đồng"


DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = ["", "nghìn", "triệu", "tỷ"]


def _three_digits(number, full):
    """Words for 0–999; `full` when a higher group precedes (“không trăm linh năm”)."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words = []
    if full or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (full or hundreds):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        elif units == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(DIGITS[units])
    return words


def number_to_words(number):
    """Vietnamese words for a non-negative integer: 406 → “bốn trăm linh sáu”."""
    number = int(number)
    if number < 0:
        raise ValueError("number_to_words takes a non-negative integer")
    if number == 0:
        return "không"
    groups = []
    while number:
        groups.append(number % 1000)
        number //= 1000
    words = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        scale_index = index % 3
        if group:
            words += _three_digits(group, full=bool(words))
            if scale_index:
                words.append(SCALES[scale_index])
        if index and index % 3 == 0:
            words.append("tỷ")
    # Collapse a repeated “tỷ” from groups that were all zero below a billion.
    collapsed = []
    for word in words:
        if not (word == "tỷ" and collapsed and collapsed[-1] == "tỷ"):
            collapsed.append(word)
    return " ".join(collapsed)


def money_in_words(amount):
    """11147406000 → “Mười một tỷ một trăm bốn mươi bảy triệu bốn trăm linh sáu nghìn đồng”."""
    words = number_to_words(amount) + " đồng"
    return words[0].upper() + words[1:]
