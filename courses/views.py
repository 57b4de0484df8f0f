from django.shortcuts import render

from training_plan import selectors


def program_detail(request, year, pk):
    program = selectors.program_for_year(year, pk)
    return render(
        request, "courses/program_detail.html", {"program": program, "plan": program.section.plan}
    )


def course_detail(request, year, pk):
    course = selectors.course_for_year(year, pk)
    return render(
        request,
        "courses/course_detail.html",
        {"course": course, "plan": course.program.section.plan},
    )
