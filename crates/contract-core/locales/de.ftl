# Meldungen von contract, Deutsch.

## Top-level codes.
malformed_body = Wir konnten die Anfrage nicht lesen. Aktualisiere die App.
bad_request = Die Anfrage ist ungültig.
validation_failed = Bitte prüfe die markierten Felder.
unauthenticated = Bitte melde dich erneut an.
forbidden = Dazu fehlt dir die Berechtigung.
not_found = Das konnten wir nicht finden.
method_not_allowed = Diese Aktion ist hier nicht möglich.
conflict = Das widerspricht vorhandenen Daten.
precondition_failed = Seit dem Laden geändert. Neu laden und erneut versuchen.
precondition_required = Diese Änderung braucht die geänderte Version (If-Match).
idempotency_key_in_flight = Diese Anfrage läuft noch. Bitte gleich erneut versuchen.
idempotency_key_reused = Dieser Schlüssel gehört zu einer anderen Anfrage.
payload_too_large = Die Anfrage ist zu groß.
uri_too_long = Die Adresse der Anfrage ist zu lang.
headers_too_large = Die Anfrage hat zu viele Header.
unsupported_media_type = Wir konnten die Anfrage nicht lesen. Aktualisiere die App.
rate_limited = Zu viele Anfragen. Versuch es später erneut.
internal = Bei uns ist etwas schiefgelaufen.
service_unavailable = Der Dienst ist ausgelastet. Versuch es gleich erneut.
timeout = Das hat zu lange gedauert. Versuch es erneut.

## Field codes.
required = Pflichtfeld
null_not_allowed = Darf nicht leer sein
blank = Darf nicht leer sein
too_short = { $min ->
    [one] Mindestens { $min } Zeichen
   *[other] Mindestens { $min } Zeichen
}
too_long = { $max ->
    [one] Höchstens { $max } Zeichen
   *[other] Höchstens { $max } Zeichen
}
not_integer = Muss eine ganze Zahl sein
not_number = Muss eine Zahl sein
not_boolean = Wähle Ja oder Nein
not_string = Muss Text sein
not_object = Ungültiges Format
not_array = Muss eine Liste sein
invalid_time = Format HH:MM (24 h)
invalid_date = Kein gültiges Datum
invalid_format = Ungültiges Format
invalid_email = Gib eine gültige E-Mail ein
too_small = { $bound ->
    [exclusive] Über { $min }
    [none] Zu klein
   *[inclusive] Minimum { $min }
}
too_large = { $bound ->
    [exclusive] Unter { $max }
    [none] Zu groß
   *[inclusive] Maximum { $max }
}
too_few_items = { $min ->
    [one] Mindestens { $min } Eintrag
   *[other] Mindestens { $min } Einträge
}
too_many_items = { $max ->
    [one] Höchstens { $max } Eintrag
   *[other] Höchstens { $max } Einträge
}
not_one_of = Wähle eine gültige Option
unknown_field = Unbekanntes Feld
already_exists = Bereits vergeben
invalid_cursor = Kein Cursor dieser Liste
invalid_value = Ungültiger Wert

## What a code without a message in any catalog gets.
contract-fallback-top = Die Anfrage konnte nicht ausgeführt werden.
contract-fallback-field = Ungültiger Wert
