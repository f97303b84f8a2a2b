"""A country-sized program for `make bench`, written with bulk inserts into its own database (`seed_scale`).

One module per app's part (`demo.scale.cohorts`, `demo.scale.applications`, `demo.scale.scoring`, ...), in the order
listed by the `seed_scale` command; each step reads what the earlier ones left on the `Scale` it is handed.
Never loaded into the demo or a production database: `seed_scale` refuses the portal's own database."""

from dataclasses import dataclass, field, fields

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from incubator.models import User

# Everyone seeded here signs in with this password (`make bench` itself uses sessions it creates).
SCALE_PASSWORD = "bench-pass-2026"
EMAIL_DOMAIN = "bench.example.org"
BATCH = 5_000


@dataclass(frozen=True)
class Sizes:
    """How big the seeded program is; `seed_scale` takes each as an option of the same name."""

    applications: int = 10_000
    reviews_per_application: int = 3
    criteria: int = 4
    reviewers: int = 30
    participants: int = 500
    cohorts: int = 5
    mentors: int = 50
    deadline_applicants: int = 200
    sessions: int = 20_000
    resources: int = 200
    checkin_ventures: int = 500
    checkin_months: int = 24

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class Scale:
    """What the seeding steps share: the sizes, one password hash, and the objects each step made."""

    sizes: Sizes
    stdout: object
    password: str = field(default_factory=lambda: make_password(SCALE_PASSWORD))
    made: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["made"][name]
        except KeyError:
            raise AttributeError(name) from None

    def keep(self, **objects) -> None:
        self.made.update(objects)

    def say(self, message: str) -> None:
        self.stdout.write(f"  {message}")


def email(kind: str, number: int) -> str:
    return f"{kind}.{number:05d}@{EMAIL_DOMAIN}"


def people(scale: Scale, kind: str, count: int, *, role: str | None = None, **extra) -> list[User]:
    """`count` verified people named after `kind`, in one role (a Django group), in a few bulk inserts."""
    users = User.objects.bulk_create(
        [
            User(email=email(kind, n), name=f"{kind.title()} {n:05d}", password=scale.password, **extra)
            for n in range(1, count + 1)
        ],
        batch_size=BATCH,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users], batch_size=BATCH
    )
    if role:
        group = Group.objects.get(name=role)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=group.pk) for user in users], batch_size=BATCH
        )
    return users
