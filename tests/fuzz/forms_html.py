"""The forms of an HTML page as a browser would send them: action, method, and for every field
its name, its current value and (for a select, a radio or a checkbox) its valid choices."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Field:
    name: str
    value: str = ""
    options: list = field(default_factory=list)
    multiple: bool = False  # several values under one name (checkboxes, select multiple)
    kind: str = "text"


@dataclass
class Form:
    action: str
    method: str
    fields: dict = field(default_factory=dict)

    def add(self, name, value="", options=(), multiple=False, kind="text"):
        known = self.fields.get(name)
        if known is None:
            self.fields[name] = Field(name, value, list(options), multiple, kind)
            return
        # The same name again (radios, checkboxes of a list, a hidden field of each row): its
        # values are more valid choices.
        more = [*options, value] if value else list(options)
        if known.value and known.kind not in ("select", "checkbox", "radio", "submit"):
            more.append(known.value)
        known.options += [o for o in more if o not in known.options]
        known.multiple = known.multiple or multiple or kind == "checkbox"
        if value and not known.value:
            known.value = value


class _Parser(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms = []
        self.form = None
        self.select = None  # [name, options, selected, multiple]
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self.form = Form(urlsplit(action).path, (attrs.get("method") or "get").lower())
            self.forms.append(self.form)
        elif self.form is None or (not attrs.get("name") and tag != "option"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                self.form.add(attrs["name"], kind="submit", options=[attrs.get("value", "")])
            elif kind in ("checkbox", "radio"):
                value = attrs.get("value", "on")
                checked = "checked" in attrs
                self.form.add(
                    attrs["name"],
                    value if checked else "",
                    options=[value],
                    multiple=kind == "checkbox",
                    kind=kind,
                )
            else:
                self.form.add(attrs["name"], attrs.get("value", ""), kind=kind)
        elif tag == "button":
            self.form.add(attrs["name"], kind="submit", options=[attrs.get("value", "")])
        elif tag == "select":
            self.select = [attrs["name"], [], "", "multiple" in attrs]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value")
            if value is not None:
                self.select[1].append(value)
                if "selected" in attrs:
                    self.select[2] = value
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None:
            name, options, selected, multiple = self.select
            if self.form is not None:
                self.form.add(name, selected, options, multiple, kind="select")
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            if self.form is not None:
                self.form.add(self.textarea[0], self.textarea[1].lstrip("\n"), kind="textarea")
            self.textarea = None


def page_forms(html, page_url):
    parser = _Parser(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms
