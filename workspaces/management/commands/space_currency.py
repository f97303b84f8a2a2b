from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workspaces.ledger import space_currency_correct
from workspaces.models import Space


class Command(BaseCommand):
    help = (
        "Correct the currency of a space that has charged already, relabelling its ledger lines (amounts unchanged). "
        "For spaces that charged before spaces had a currency, which the upgrade marked EUR."
    )

    def add_arguments(self, parser):
        parser.add_argument("space", help="the space's slug")
        parser.add_argument("currency", help="an ISO 4217 code, e.g. ILS, MAD, PLN")

    def handle(self, *args, space, currency, **options):
        try:
            found = Space.objects.get(slug=space)
        except Space.DoesNotExist:
            raise CommandError(f"No space with the slug {space!r}.") from None
        try:
            lines = space_currency_correct(space=found, currency=currency.upper(), by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{found.name}: {currency.upper()}, {lines} ledger lines relabelled."))
