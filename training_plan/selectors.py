"""Reads of plan data, each with a bounded number of queries whatever the size of the plan."""

from django.db.models import Prefetch
from django.http import Http404

from courses.models import Course, Program, ProgramInstitution
from quotas.models import QuotaLine
from training_plan.models import Person, Plan, Section
from training_plan.text import normalise_search


def plan_list():
    return Plan.objects.select_related("issuing_body").order_by("-year")


def plan_for_year(year):
    """The plan of a year with its sections, programs, courses and quota lines, or 404."""
    programs = (
        Program.objects.select_related("directing_body", "implementing_body", "section__plan")
        .prefetch_related(
            "legal_documents__issuer",
            Prefetch(
                "institution_links",
                queryset=ProgramInstitution.objects.select_related("institution"),
            ),
            Prefetch(
                "courses",
                queryset=Course.objects.order_by("position").prefetch_related(
                    Prefetch(
                        "quota_lines",
                        queryset=QuotaLine.objects.select_related("institution").order_by(
                            "position"
                        ),
                    )
                ),
            ),
        )
        .order_by("position")
    )
    plan = (
        Plan.objects.select_related("issuing_body", "budget_legal_basis__issuer")
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=Section.objects.prefetch_related(Prefetch("programs", queryset=programs)),
            ),
            "recipients",
            "responsibilities__body",
            "budget_blocks",
        )
        .filter(year=year)
        .first()
    )
    if plan is None:
        raise Http404("Không có kế hoạch của năm này.")
    return plan


def program_for_year(year, pk):
    program = (
        Program.objects.select_related("section__plan", "directing_body", "implementing_body")
        .prefetch_related(
            "legal_documents__issuer",
            Prefetch(
                "institution_links",
                queryset=ProgramInstitution.objects.select_related("institution"),
            ),
            Prefetch(
                "courses",
                queryset=Course.objects.prefetch_related(
                    Prefetch(
                        "quota_lines", queryset=QuotaLine.objects.select_related("institution")
                    ),
                    "eligibility_rules__legal_document",
                ),
            ),
        )
        .filter(section__plan__year=year, pk=pk)
        .first()
    )
    if program is None:
        raise Http404("Không có chương trình này trong kế hoạch.")
    return program


def course_for_year(year, pk):
    course = (
        Course.objects.select_related(
            "program__section__plan", "program__directing_body", "program__implementing_body"
        )
        .prefetch_related(
            Prefetch("quota_lines", queryset=QuotaLine.objects.select_related("institution")),
            "eligibility_rules__legal_document",
        )
        .filter(program__section__plan__year=year, pk=pk)
        .first()
    )
    if course is None:
        raise Http404("Không có khóa này trong kế hoạch.")
    return course


def people_for_user(user):
    """People the user may see: all for BTC, SNV and administrators; a unit its own;
    none for leadership, who read figures, not personal records (SPEC §2 People)."""
    people = Person.objects.select_related("organisation")
    if user.is_leadership:
        return people.none()
    if user.sees_all_units:
        return people
    if user.organisation_id is None:
        return people.none()
    return people.filter(organisation_id=user.organisation_id)


def person_for_user(user, pk):
    """One person the user may see, or 404 (never another unit's data)."""
    person = people_for_user(user).filter(pk=pk).first()
    if person is None:
        raise Http404("Không tìm thấy cán bộ.")
    return person


def people_matching(people, query):
    """People whose name contains every word of the query, ignoring diacritics and case.

    Compares the normalised `search_name` column (“nguyen van duc”), so “NGUYEN van Đức” and
    “nguyễn văn đức” find the same person on every database; on PostgreSQL a trigram index
    serves the LIKE '%…%' (migration 0002).
    """
    for word in normalise_search(query).split():
        people = people.filter(search_name__contains=word)
    return people
