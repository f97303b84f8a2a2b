"""Demo calls: Kawalis' second-cohort call as it happened (closed 31 March 2024), an open Kawalis
third-cohort call with a few drafts, and an open BizUP call. Idempotent; people and texts are invented."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from applications import checks
from applications.models import (
    Application,
    ApplicationVersion,
    Call,
    Criterion,
    EligibilityRule,
    Question,
    TeamMember,
)
from applications.services import DraftData, application_save_draft, application_start
from applications.submission import application_snapshot
from cohorts.models import Cohort, Region
from demo.users import DEMO_PASSWORD, demo_user
from incubator.models import User

CASABLANCA = ZoneInfo("Africa/Casablanca")
JERUSALEM = ZoneInfo("Asia/Jerusalem")
KAWALIS_REGIONS = ["Fès-Meknès", "Oriental", "Souss-Massa", "Tanger-Tétouan-Al Hoceïma"]
# Applicants may live anywhere in Morocco; only the four regions above are eligible. These extra
# entries in the program's list let people from elsewhere say so (and be found ineligible).
OTHER_MOROCCAN_REGIONS = ["Casablanca-Settat", "Rabat-Salé-Kénitra", "Marrakech-Safi"]

KAWALIS_DESCRIPTION = (
    "تبحث كواليس عن 24 مشروعًا ثقافيًا وإبداعيًا يقودها شباب أو جمعيات من المجتمع المدني في أربع جهات: "
    "فاس-مكناس، الجهة الشرقية، سوس-ماسة، وطنجة-تطوان-الحسيمة.\n\n"
    "يستفيد المشاركون من تكوينات جماعية ومن مواكبة فردية مصممة حسب حاجيات كل مشروع، "
    "ومن جولات إبداعية ومشاركات في الأسواق."
)
KAWALIS_CRITERIA = "الجدوى الاقتصادية للمشروع\nالأثر الإيجابي المتوقع\nقوة الفريق\nمدى استعجال الحاجة إلى الدعم"
KAWALIS_SECTORS = ["الموسيقى", "فنون العرض", "الفنون البصرية", "التصميم", "الصناعة التقليدية", "السمعي البصري", "النشر"]
KAWALIS_STATUSES = ["حامل مشروع فردي", "جمعية أو تعاونية"]
KAWALIS_QUESTIONS = [
    # kind, label, help text, required, extra fields
    # The venture roles carry an accepted project into the cohort (name, description, field, website).
    (Question.Kind.SHORT_TEXT, "اسم المشروع", "", True, {"venture_role": Question.VentureRole.NAME}),
    (
        Question.Kind.LONG_TEXT,
        "صف مشروعك",
        "ما الذي تقدمه، ولمن، وأين؟",
        True,
        {"word_limit": 300, "venture_role": Question.VentureRole.DESCRIPTION},
    ),
    (
        Question.Kind.SINGLE_CHOICE,
        "القطاع الثقافي أو الإبداعي",
        "",
        True,
        {"choices": "\n".join(KAWALIS_SECTORS), "venture_role": Question.VentureRole.FIELD},
    ),
    (Question.Kind.SINGLE_CHOICE, "الصفة القانونية", "", True, {"choices": "\n".join(KAWALIS_STATUSES)}),
    (Question.Kind.LONG_TEXT, "لماذا تحتاج إلى الدعم الآن؟", "", True, {"word_limit": 200}),
    (Question.Kind.URL, "رابط موقع أو صفحة المشروع", "", False, {"venture_role": Question.VentureRole.WEBSITE}),
    (Question.Kind.FILE, "ملف تقديم المشروع", "عرض تقديمي أو صور للمشروع.", False, {}),
]

BIZUP_DESCRIPTION = (
    "חממה ליוצרים צעירים בתחומי הפרסום, העיצוב הגרפי, הצילום, עיצוב הפנים ועריכת הווידאו: "
    "עמדות עבודה במחיר מסובסד במתחם BizMax, ליווי אישי של מנטורים, כלים עסקיים מעשיים "
    "וקהילה של לקוחות ושותפים.\n\n15 יוצרים יתקבלו לתוכנית."
)
BIZUP_CRITERIA = "כישרון ותיק עבודות\nמחויבות לבניית עסק\nהתאמה לקהילה ולשיתופי פעולה"
BIZUP_QUESTIONS = [
    (Question.Kind.SHORT_TEXT, "שם העסק או המותג", "", True, {"venture_role": Question.VentureRole.NAME}),
    (Question.Kind.SINGLE_CHOICE, "תחום היצירה", "", True,
     {"choices": "פרסום\nעיצוב גרפי\nצילום\nעיצוב פנים\nעריכת וידאו", "venture_role": Question.VentureRole.FIELD}),
    (Question.Kind.YES_NO, "האם העסק שלך פועל בירושלים?", "", True, {}),
    (Question.Kind.URL, "קישור לתיק העבודות", "", False, {"venture_role": Question.VentureRole.WEBSITE}),
    (Question.Kind.LONG_TEXT, "ספרו על העסק שלכם ומה הכי חסר לכם כדי לצמוח", "", True,
     {"word_limit": 250, "venture_role": Question.VentureRole.DESCRIPTION}),
    (Question.Kind.FILE, "דוגמת עבודה", "", False, {}),
]  # fmt: skip

FIRST_NAMES = [
    "Youssef", "Fatima Zahra", "Mehdi", "Salma", "Hamza", "Imane", "Omar", "Khadija", "Ayoub", "Meryem",
    "Anas", "Hajar", "Othmane", "Soukaina", "Ilyas", "Nadia", "Reda", "Zineb", "Amine", "Houda",
    "Karim", "Asmae", "Badr", "Loubna", "Tarik", "Sanaa", "Yassine", "Ghita", "Hicham", "Rim",
]  # fmt: skip
LAST_NAMES = [
    "El Amrani", "Benjelloun", "Alaoui", "Bennani", "Tazi", "El Idrissi", "Chraibi", "Berrada", "Ouazzani",
    "Lahlou", "Aït Ouahmane", "Bouzid", "El Fassi", "Zerouali", "Haddad", "Naciri", "Aït Lahcen", "Belkadi",
    "Marrakchi", "Ziani",
]  # fmt: skip
PROJECTS = [
    "Gnaoua Lab", "Atelier Zellige Vivant", "Ciné-Rif", "Tissage d'Agadir", "Fès Sound Archive", "Dar Lhikaya",
    "Oujda Street Art", "Argan Design Studio", "Théâtre des Sables", "Tanger BD",
]  # fmt: skip


def _at(zone, *args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=zone)


def _call(slug, cohort_slug, **fields) -> Call:
    call, _ = Call.objects.update_or_create(
        slug=slug, defaults={"cohort": Cohort.objects.get(slug=cohort_slug), **fields}
    )
    return call


def _rubric(call: Call, names: str) -> None:
    """The call's selection criteria, shown on its page and scored by its reviewers (weights set in the admin)."""
    for position, name in enumerate(names.splitlines(), start=1):
        Criterion.objects.get_or_create(call=call, position=position, defaults={"name": name})


def _questions(call: Call, specs) -> list[Question]:
    questions = []
    for position, (kind, label, help_text, required, extra) in enumerate(specs, start=1):
        question, _ = Question.objects.update_or_create(
            call=call,
            position=position,
            defaults={"kind": kind, "label": label, "help_text": help_text, "required": required, **extra},
        )
        questions.append(question)
    return questions


def _rule(call: Call, kind: str, regions=(), **fields) -> None:
    rule, _ = EligibilityRule.objects.update_or_create(call=call, kind=kind, defaults=fields)
    if regions:
        rule.regions.set(regions)


def _kawalis_call(slug, cohort_slug, title, opens_at, closes_at) -> tuple[Call, list[Question]]:
    call = _call(
        slug,
        cohort_slug,
        title=title,
        description=KAWALIS_DESCRIPTION,
        opens_at=opens_at,
        closes_at=closes_at,
        seats=24,
    )
    questions = _questions(call, KAWALIS_QUESTIONS)
    _rubric(call, KAWALIS_CRITERIA)
    program = call.cohort.program
    for position, name in enumerate(OTHER_MOROCCAN_REGIONS, start=10):
        Region.objects.get_or_create(program=program, name=name, defaults={"position": position})
    _rule(call, EligibilityRule.Kind.AGE_RANGE, min_age=18, max_age=29)
    _rule(call, EligibilityRule.Kind.REGIONS, regions=program.regions.filter(name__in=KAWALIS_REGIONS))
    return call, questions


def _applicant_users(prefix: str, count: int) -> list[User]:
    """Invented applicants; one password hash for all, since hashing 60 times would take most of the seeding."""
    emails = [f"applicant.{prefix}.{n:02d}@example.org" for n in range(1, count + 1)]
    names = [f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 7) % len(LAST_NAMES)]}" for i in range(count)]
    languages = [("ar", "fr")[i % 2] for i in range(count)]
    people = list(zip(emails, names, languages, strict=True))
    password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        [
            User(email=e, name=n, password=password, preferred_language=lang, time_zone=CASABLANCA.key)
            for e, n, lang in people
        ],
        ignore_conflicts=True,
    )
    # demo_user then finds each person and only makes sure the verified email address exists.
    return [demo_user(e, n, language=lang, time_zone=CASABLANCA.key) for e, n, lang in people]


def _kawalis_answers(questions: list[Question], i: int) -> dict:
    project = PROJECTS[i % len(PROJECTS)]
    return {
        str(questions[0].pk): f"{project} {i + 1}",
        str(questions[1].pk): "مشروع ثقافي يجمع الشباب حول التكوين والإنتاج والعرض في المدينة والقرى المجاورة.",
        str(questions[2].pk): KAWALIS_SECTORS[i % len(KAWALIS_SECTORS)],
        str(questions[3].pk): KAWALIS_STATUSES[i % 3 == 0],
        str(questions[4].pk): "نحتاج إلى مواكبة في التسويق والتدبير المالي لنحول التجربة إلى مشروع مستدام.",
        str(questions[5].pk): f"https://example.org/projects/{i + 1}" if i % 2 else "",
    }


def _seed_kawalis_second(stdout) -> None:
    call, questions = _kawalis_call(
        "kawalis-second-cohort",
        "kawalis-2",
        "كواليس — دعوة لتقديم الطلبات، الفوج الثاني",
        _at(CASABLANCA, 2024, 2, 1, 9, 0),
        _at(CASABLANCA, 2024, 3, 31, 23, 59, 59),
    )
    users = _applicant_users("k2", 60)
    already = set(Application.objects.filter(call=call).values_list("applicant_id", flat=True))
    regions = list(call.cohort.program.regions.all())
    eligible_regions = [r for r in regions if r.name in KAWALIS_REGIONS]
    other_regions = [r for r in regions if r.name in OTHER_MOROCCAN_REGIONS]
    rules = list(call.eligibility_rules.select_related("call__cohort__program").prefetch_related("regions"))
    by_id = {q.pk: q for q in questions}
    new, teams = [], {}
    for i, user in enumerate(users):
        if user.pk in already:
            continue
        # Most are 19–29 on the deadline; every 12th is too old, every 15th too young, every 10th from elsewhere.
        age = 31 if i % 12 == 5 else 17 if i % 15 == 7 else 19 + i % 11
        region = other_regions[i % len(other_regions)] if i % 10 == 3 else eligible_regions[i % len(eligible_regions)]
        application = _submitted_in_2024(call, user, i, age, region, questions)
        reasons = checks.ineligibility_reasons(application, rules, by_id)
        application.eligibility = Application.Eligibility.INELIGIBLE if reasons else Application.Eligibility.ELIGIBLE
        application.eligibility_reasons = reasons
        new.append(application)
        partner = f"{FIRST_NAMES[(i + 11) % len(FIRST_NAMES)]} {LAST_NAMES[(i + 3) % len(LAST_NAMES)]}"
        teams[user.pk] = [TeamMember(name=partner, role="شريك(ة) في المشروع")] if i % 3 else []
    _history_write(new, teams, questions)
    stdout.write(f"Kawalis second-cohort call: {call.applications.count()} submitted applications")


def _submitted_in_2024(call, user, i: int, age: int, region, questions) -> Application:
    submitted_at = call.opens_at + datetime.timedelta(days=1 + i % 58, hours=i % 13)
    return Application(
        call=call,
        applicant=user,
        status=Application.Status.SUBMITTED,
        full_name=user.name,
        date_of_birth=datetime.date(2024 - age, 1 + i % 3, 1 + i % 27),
        region=region,
        phone=f"+212 6{i:02d} {100 + i:03d} {200 + i:03d}",
        email=user.email,
        answers=_kawalis_answers(questions, i),
        created_at=submitted_at - datetime.timedelta(days=2),
        updated_at=submitted_at,
        submitted_at=submitted_at,
    )


def _history_write(applications, teams, questions) -> None:
    """History as it happened: written directly, since the submit service (rightly) refuses after the deadline."""
    Application.objects.bulk_create(applications)
    members, versions = [], []
    for application in applications:
        for member in teams[application.applicant_id]:
            member.application = application
            members.append(member)
        data = application_snapshot(application, questions, [], teams[application.applicant_id])
        versions.append(
            ApplicationVersion(application=application, number=1, submitted_at=application.submitted_at, data=data)
        )
    TeamMember.objects.bulk_create(members)
    ApplicationVersion.objects.bulk_create(versions)


def _end_of_day(zone, days_from_now: int) -> datetime.datetime:
    day = timezone.localdate(timezone=zone) + datetime.timedelta(days=days_from_now)
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=zone)


def _seed_kawalis_third(stdout) -> None:
    call, questions = _kawalis_call(
        "kawalis-third-cohort",
        "kawalis-3",
        "كواليس — دعوة لتقديم الطلبات، الفوج الثالث",
        _end_of_day(CASABLANCA, -10) - datetime.timedelta(hours=15),
        _end_of_day(CASABLANCA, 30),
    )
    people = [User.objects.get(email="applicant@example.org"), *_applicant_users("k3", 4)]
    for i, person in enumerate(people):
        if Application.objects.filter(call=call, applicant=person).exists():
            continue
        application = application_start(call=call, applicant=person)
        answers = {str(questions[0].pk): f"{PROJECTS[(i + 4) % len(PROJECTS)]}"}
        if i % 2:
            answers[str(questions[2].pk)] = KAWALIS_SECTORS[i]
        application_save_draft(application=application, data=DraftData(answers=answers), by=person)
    closes = call.closes_at.astimezone(CASABLANCA)
    stdout.write(
        f"Kawalis third-cohort call: open until {closes:%Y-%m-%d %H:%M} Africa/Casablanca, {len(people)} drafts"
    )


def _seed_bizup(stdout) -> None:
    call = _call(
        "bizup-2026",
        "bizup-2026",
        title="BizUP — קול קורא ליוצרים צעירים",
        description=BIZUP_DESCRIPTION,
        opens_at=_end_of_day(JERUSALEM, -7) - datetime.timedelta(hours=15),
        closes_at=_end_of_day(JERUSALEM, 21),
        seats=15,
    )
    questions = _questions(call, BIZUP_QUESTIONS)
    _rubric(call, BIZUP_CRITERIA)
    _rule(call, EligibilityRule.Kind.ANSWER, question=questions[2], expected_answer="yes")
    stdout.write("BizUP call: open, 15 seats")


def seed_calls(stdout) -> None:
    _seed_kawalis_second(stdout)
    _seed_kawalis_third(stdout)
    _seed_bizup(stdout)
