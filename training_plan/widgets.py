"""Form widgets shared by the screens."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> written in Python, with the same HTML as Django's Select.

    Django renders one template per <option>; the list filters (the plan's courses, the
    province's units) spent 35–60 ms of every page on that. Use it for long lists.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _ in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], flatatt(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            if group_name:
                html = format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
            groups.append(html)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(groups)),
        )


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO, the browser shows dd/mm/yyyy."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SearchPicker(forms.Widget):
    """A choice found by typing (static/js/search-picker.js): the chosen id travels in a hidden
    input, a text box (the field's id, so its label points at it) asks `url` for matches as
    the user types. `label_for(value)` gives the text of the chosen object on a re-render.
    Nothing but the chosen object is written into the page, however many there are."""

    def __init__(self, *, url="", placeholder="", label_for=None, attrs=None):
        super().__init__(attrs)
        self.url, self.placeholder, self.label_for = url, placeholder, label_for

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        field_id = attrs.pop("id", f"id_{name}")
        label = self.label_for(value) if (value and self.label_for) else ""
        css = " ".join(filter(None, ["form-control", "picker-input", attrs.pop("class", "")]))
        attrs.pop("required", None)
        return format_html(
            '<div class="search-picker" data-url="{url}">'
            '<input type="hidden" name="{name}" value="{value}" class="picker-value">'
            '<input type="text" id="{id}" class="{css}" role="combobox" autocomplete="off"'
            ' aria-autocomplete="list" aria-expanded="false" aria-controls="{id}_listbox"'
            ' placeholder="{placeholder}" value="{label}"{attrs}>'
            '<ul class="list-group picker-results" id="{id}_listbox" role="listbox"'
            ' aria-label="Kết quả tìm" hidden></ul>'
            '<div class="form-text picker-status" aria-live="polite"></div>'
            "</div>",
            url=self.url,
            name=name,
            value=value or "",
            id=field_id,
            css=css,
            placeholder=self.placeholder,
            label=label,
            attrs=flatatt(attrs),
        )

    def value_from_datadict(self, data, files, name):
        return data.get(name)
