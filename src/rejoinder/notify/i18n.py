"""Email wording in the languages the widget speaks; a site picks one with its ``language``."""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "de", "fr", "uk", "ru")

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "reply_subject": "{name} replied to your comment on “{title}”",
        "reply_intro": "{name} replied to your comment on “{title}”:",
        "view": "Read the discussion",
        "unsubscribe": "Stop emails about replies to my comments",
        "unsubscribe_why": "You get this email because you asked to be told about replies.",
        "held_subject": "[{site}] A comment is waiting for moderation",
        "held_intro": "A comment by {name} on “{title}” was held for moderation.",
        "reasons": "Why it was held",
        "approve": "Approve",
        "reject": "Reject",
        "links_expire": "These links stop working after {hours} hours.",
        "digest_subject": "[{site}] {count} comments are waiting for moderation",
        "digest_intro": "These comments were held for moderation:",
        "privacy_export_subject": "Your comment data on {site}",
        "privacy_erase_subject": "Confirm erasing your comments on {site}",
        "privacy_export_intro": "Someone (hopefully you) asked for the comment data this "
                                "address has on {site}. Open this link to download it:",
        "privacy_erase_intro": "Someone (hopefully you) asked to erase the comments and "
                               "personal data this address has on {site}. Open this link to "
                               "confirm:",
        "privacy_ignore": "If you did not ask for this, ignore this email. The link expires "
                          "in {hours} hours.",
        "anonymous": "Someone",
    },
    "de": {
        "reply_subject": "{name} hat auf Ihren Kommentar zu „{title}“ geantwortet",
        "reply_intro": "{name} hat auf Ihren Kommentar zu „{title}“ geantwortet:",
        "view": "Zur Diskussion",
        "unsubscribe": "Keine E-Mails mehr über Antworten auf meine Kommentare",
        "unsubscribe_why": "Sie erhalten diese E-Mail, weil Sie über Antworten informiert "
                           "werden wollten.",
        "held_subject": "[{site}] Ein Kommentar wartet auf Moderation",
        "held_intro": "Ein Kommentar von {name} zu „{title}“ wurde zur Moderation "
                      "zurückgehalten.",
        "reasons": "Warum er zurückgehalten wurde",
        "approve": "Freigeben",
        "reject": "Ablehnen",
        "links_expire": "Diese Links funktionieren {hours} Stunden lang.",
        "digest_subject": "[{site}] {count} Kommentare warten auf Moderation",
        "digest_intro": "Diese Kommentare wurden zur Moderation zurückgehalten:",
        "privacy_export_subject": "Ihre Kommentardaten auf {site}",
        "privacy_erase_subject": "Löschen Ihrer Kommentare auf {site} bestätigen",
        "privacy_export_intro": "Jemand (hoffentlich Sie) hat die Kommentardaten dieser "
                                "Adresse auf {site} angefordert. Über diesen Link laden Sie "
                                "sie herunter:",
        "privacy_erase_intro": "Jemand (hoffentlich Sie) möchte die Kommentare und "
                               "persönlichen Daten dieser Adresse auf {site} löschen. "
                               "Bestätigen Sie über diesen Link:",
        "privacy_ignore": "Wenn Sie das nicht waren, ignorieren Sie diese E-Mail. Der Link "
                          "läuft in {hours} Stunden ab.",
        "anonymous": "Jemand",
    },
    "fr": {
        "reply_subject": "{name} a répondu à votre commentaire sur « {title} »",
        "reply_intro": "{name} a répondu à votre commentaire sur « {title} » :",
        "view": "Lire la discussion",
        "unsubscribe": "Ne plus recevoir d’e-mails sur les réponses à mes commentaires",
        "unsubscribe_why": "Vous recevez cet e-mail car vous avez demandé à être prévenu "
                           "des réponses.",
        "held_subject": "[{site}] Un commentaire attend la modération",
        "held_intro": "Un commentaire de {name} sur « {title} » a été retenu pour "
                      "modération.",
        "reasons": "Pourquoi il a été retenu",
        "approve": "Approuver",
        "reject": "Rejeter",
        "links_expire": "Ces liens expirent après {hours} heures.",
        "digest_subject": "[{site}] {count} commentaires attendent la modération",
        "digest_intro": "Ces commentaires ont été retenus pour modération :",
        "privacy_export_subject": "Vos données de commentaires sur {site}",
        "privacy_erase_subject": "Confirmez l’effacement de vos commentaires sur {site}",
        "privacy_export_intro": "Quelqu’un (vous, espérons-le) a demandé les données de "
                                "commentaires de cette adresse sur {site}. Ce lien permet "
                                "de les télécharger :",
        "privacy_erase_intro": "Quelqu’un (vous, espérons-le) a demandé l’effacement des "
                               "commentaires et données personnelles de cette adresse sur "
                               "{site}. Confirmez avec ce lien :",
        "privacy_ignore": "Si ce n’était pas vous, ignorez cet e-mail. Le lien expire dans "
                          "{hours} heures.",
        "anonymous": "Quelqu’un",
    },
    "uk": {
        "reply_subject": "{name} відповідає на ваш коментар до «{title}»",
        "reply_intro": "{name} відповідає на ваш коментар до «{title}»:",
        "view": "Читати обговорення",
        "unsubscribe": "Більше не надсилати листів про відповіді на мої коментарі",
        "unsubscribe_why": "Ви отримали цей лист, бо попросили повідомляти про відповіді.",
        "held_subject": "[{site}] Коментар чекає на модерацію",
        "held_intro": "Коментар від {name} до «{title}» затримано для модерації.",
        "reasons": "Чому його затримано",
        "approve": "Схвалити",
        "reject": "Відхилити",
        "links_expire": "Ці посилання діють {hours} год.",
        "digest_subject": "[{site}] Коментарів, що чекають на модерацію: {count}",
        "digest_intro": "Ці коментарі затримано для модерації:",
        "privacy_export_subject": "Ваші дані коментарів на {site}",
        "privacy_erase_subject": "Підтвердіть видалення ваших коментарів на {site}",
        "privacy_export_intro": "Хтось (сподіваємося, ви) попросив дані коментарів цієї "
                                "адреси на {site}. Завантажте їх за посиланням:",
        "privacy_erase_intro": "Хтось (сподіваємося, ви) попросив видалити коментарі та "
                               "персональні дані цієї адреси на {site}. Підтвердьте за "
                               "посиланням:",
        "privacy_ignore": "Якщо це були не ви, просто ігноруйте цей лист. Посилання діє "
                          "{hours} год.",
        "anonymous": "Хтось",
    },
    "ru": {
        "reply_subject": "{name} ответил(а) на ваш комментарий к «{title}»",
        "reply_intro": "{name} ответил(а) на ваш комментарий к «{title}»:",
        "view": "Читать обсуждение",
        "unsubscribe": "Больше не присылать писем об ответах на мои комментарии",
        "unsubscribe_why": "Вы получили это письмо, потому что попросили сообщать об ответах.",
        "held_subject": "[{site}] Комментарий ждёт модерации",
        "held_intro": "Комментарий от {name} к «{title}» задержан для модерации.",
        "reasons": "Почему он задержан",
        "approve": "Одобрить",
        "reject": "Отклонить",
        "links_expire": "Эти ссылки действуют {hours} ч.",
        "digest_subject": "[{site}] Комментариев, ожидающих модерации: {count}",
        "digest_intro": "Эти комментарии задержаны для модерации:",
        "privacy_export_subject": "Ваши данные комментариев на {site}",
        "privacy_erase_subject": "Подтвердите удаление ваших комментариев на {site}",
        "privacy_export_intro": "Кто-то (надеемся, вы) запросил данные комментариев этого "
                                "адреса на {site}. Скачайте их по ссылке:",
        "privacy_erase_intro": "Кто-то (надеемся, вы) попросил удалить комментарии и "
                               "персональные данные этого адреса на {site}. Подтвердите по "
                               "ссылке:",
        "privacy_ignore": "Если это были не вы, просто проигнорируйте письмо. Ссылка "
                          "действует {hours} ч.",
        "anonymous": "Кто-то",
    },
}


def language_of(site_settings: dict[str, Any]) -> str:
    code = str(site_settings.get("language") or "en").lower().split("-")[0]
    return code if code in STRINGS else "en"


class Catalog:
    """``t("reply_subject", name=…)`` in one language, falling back to English."""

    def __init__(self, language: str) -> None:
        self.language = language if language in STRINGS else "en"

    def __call__(self, key: str, **values: Any) -> str:
        text = STRINGS[self.language].get(key) or STRINGS["en"][key]
        return text.format(**values)
