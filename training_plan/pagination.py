"""Pagination of wide, joined lists on large tables."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 50_000


class CappedCountPaginator(Paginator):
    """Counts at most `count_cap` + 1 rows. COUNT(*) of a national list (2.000.000 people,
    500.000 nominations a year) is 120–140 ms of every page, nearly all of its SQL; nobody pages
    past 1.000 pages of 50. Above the cap the list says “more than 50.000” and asks to filter.

    50.000 (issue 17): a name search matching 100.000+ people of 400.000 (“thi”, “nguyen”) spent
    85–110 ms counting to 100.001 through the trigram index (each match rechecked in the
    table), 18–25 ms counting to 10.001 — so about half of that to 50.001, under the 100 ms of
    SQL of the target with the page itself, which walks the sort-key index and stops after its
    rows (BENCHMARKS.md, national scale). A province's whole list (40.000 people) is still
    counted exactly, so BTC sees its number of pages."""

    count_cap = COUNT_CAP

    @cached_property
    def count(self):
        # Without the order and the annotations: the subquery only has to find cap + 1 rows.
        return self.object_list.order_by().values("pk")[: self.count_cap + 1].count()

    @property
    def count_is_capped(self):
        return self.count > self.count_cap


class DeferredJoinPaginator(CappedCountPaginator):
    """A page of a queryset with many joins (select_related, annotations): first the page's ids
    with a narrow query sorted the same way, then only those rows with all their joins.

    Sorting 10.000 nominations joined to six tables to keep 50 costs ≈ 150 ms on PostgreSQL;
    sorting their ids and one sort column costs a fraction, and the wide join runs on 50 rows.
    One query more per page, the same number at every data size.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
