# A ninth locale, added by this file alone: Italian, every built-in code
# and the fixture's own.

## Top-level codes.
malformed_body = Non siamo riusciti a leggere la richiesta. Aggiorna l'app.
bad_request = La richiesta non è valida.
validation_failed = Controlla i campi evidenziati.
unauthenticated = Accedi di nuovo.
forbidden = Non hai il permesso di farlo.
not_found = Non abbiamo trovato ciò che cerchi.
method_not_allowed = Questa azione non è disponibile qui.
conflict = È in conflitto con dati esistenti.
precondition_failed = È cambiato da quando l'hai caricato. Ricarica e riprova.
precondition_required = Questa modifica richiede la versione modificata (If-Match).
idempotency_key_in_flight = Questa richiesta è ancora in corso. Riprova tra poco.
idempotency_key_reused = Questa chiave è già servita a un'altra richiesta.
payload_too_large = La richiesta è troppo grande.
uri_too_long = L'indirizzo della richiesta è troppo lungo.
headers_too_large = La richiesta ha troppe intestazioni.
unsupported_media_type = Non siamo riusciti a leggere la richiesta. Aggiorna l'app.
rate_limited = Troppe richieste. Riprova più tardi.
internal = Qualcosa è andato storto da parte nostra.
service_unavailable = Il servizio non è disponibile. Riprova tra poco.
timeout = La richiesta ha impiegato troppo tempo. Riprova.

## Field codes.
required = Obbligatorio
null_not_allowed = Non può essere vuoto
blank = Non può essere vuoto
too_short = { $min ->
    [one] Almeno { $min } carattere
   *[other] Almeno { $min } caratteri
}
too_long = { $max ->
    [one] Al massimo { $max } carattere
   *[other] Al massimo { $max } caratteri
}
not_integer = Deve essere un numero intero
not_number = Deve essere un numero
not_boolean = Scegli sì o no
not_string = Deve essere testo
not_object = Formato non valido
not_array = Deve essere un elenco
invalid_time = Usa HH:MM (24 h)
invalid_date = Data non valida
invalid_format = Formato non valido
invalid_email = Inserisci un'email valida
too_small = { $bound ->
    [exclusive] Più di { $min }
    [none] Troppo piccolo
   *[inclusive] Minimo { $min }
}
too_large = { $bound ->
    [exclusive] Meno di { $max }
    [none] Troppo grande
   *[inclusive] Massimo { $max }
}
too_few_items = { $min ->
    [one] Almeno { $min } elemento
   *[other] Almeno { $min } elementi
}
too_many_items = { $max ->
    [one] Al massimo { $max } elemento
   *[other] Al massimo { $max } elementi
}
not_one_of = Scegli un'opzione valida
unknown_field = Campo sconosciuto
already_exists = Già in uso
invalid_cursor = Cursore estraneo a questo elenco
invalid_value = Valore non valido

## What a code without a message in any catalog gets.
contract-fallback-top = Impossibile completare la richiesta.
contract-fallback-field = Valore non valido

## The fixture's own codes.
seminar_full = Questo seminario è al completo.
