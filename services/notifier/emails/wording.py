"""Every sentence of our emails, in English and in Dutch.

The Dutch follows the vocabulary of the seed help article (cliënten, ontbrekende bonnen,
uitgaven klaar voor export, saldo van de portemonnee, Ga naar klant, herinnering).
"""

from dataclasses import dataclass

from shared.formatting import DEFAULT_LOCALE


@dataclass(frozen=True)
class Wording:
    titles: dict[str | None, str]
    clients_one: str
    clients_many: str
    with_tasks: str
    without_tasks: str
    greeting: str
    digest_intro: str
    missing_receipts: str
    ready_for_export: str
    wallet_balance: str
    balance_unknown: str
    go_to_client: str
    digest_footer: str
    unsubscribe: str
    reminder_subject: str
    reminder_intro: str
    reminder_comment: str
    reminder_footer: str

    def clients(self, n: int) -> str:
        return (self.clients_one if n == 1 else self.clients_many).format(n=n)

    def digest_subject(self, frequency: str | None, outstanding: int, total: int) -> str:
        """Says what it is and for how many clients: "Your weekly digest: 3 clients with ..."."""
        title = self.titles.get(frequency, self.titles[None])
        if outstanding:
            return f"{title}: " + self.with_tasks.format(clients=self.clients(outstanding))
        return f"{title}: " + self.without_tasks.format(clients=self.clients(total))


WORDINGS = {
    "en": Wording(
        titles={"daily": "Your daily digest", "weekly": "Your weekly digest",
                "monthly": "Your monthly digest", None: "Your digest"},
        clients_one="{n} client", clients_many="{n} clients",
        with_tasks="{clients} with outstanding tasks",
        without_tasks="no outstanding tasks for {clients}",
        greeting="Hi {name},",
        digest_intro="This is where your clients stand on {day}, the ones with the most "
                     "outstanding work first.",
        missing_receipts="missing receipts", ready_for_export="expenses ready for export",
        wallet_balance="wallet balance", balance_unknown="not known yet",
        go_to_client="Go to client",
        digest_footer="You receive this email because you turned on email notifications "
                      "for these clients.",
        unsubscribe="Unsubscribe from these emails",
        reminder_subject="Reminder from {admin}: outstanding tasks for {client}",
        reminder_intro="{admin} asks you to take care of the outstanding tasks of {client}:",
        reminder_comment="Comment from {admin}:",
        reminder_footer="You receive this email because you are assigned to {client}.",
    ),
    "nl": Wording(
        titles={"daily": "Je dagelijkse overzicht", "weekly": "Je wekelijkse overzicht",
                "monthly": "Je maandelijkse overzicht", None: "Je overzicht"},
        clients_one="{n} cliënt", clients_many="{n} cliënten",
        with_tasks="{clients} met openstaande taken",
        without_tasks="geen openstaande taken voor {clients}",
        greeting="Hallo {name},",
        digest_intro="Zo staan je cliënten ervoor op {day}, de cliënten met de meeste "
                     "openstaande taken eerst.",
        missing_receipts="ontbrekende bonnen", ready_for_export="uitgaven klaar voor export",
        wallet_balance="saldo van de portemonnee", balance_unknown="nog niet bekend",
        go_to_client="Ga naar klant",
        digest_footer="Je ontvangt deze e-mail omdat je e-mailmeldingen voor deze cliënten "
                      "hebt ingeschakeld.",
        unsubscribe="Afmelden voor deze e-mails",
        reminder_subject="Herinnering van {admin}: openstaande taken voor {client}",
        reminder_intro="{admin} vraagt je om de openstaande taken van {client} op te pakken:",
        reminder_comment="Opmerking van {admin}:",
        reminder_footer="Je ontvangt deze e-mail omdat je aan {client} bent toegewezen.",
    ),
}


def wording_for(locale: str | None) -> Wording:
    """The wording of `locale`; English when we have none for it."""
    return WORDINGS.get(locale or DEFAULT_LOCALE, WORDINGS[DEFAULT_LOCALE])
