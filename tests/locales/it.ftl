# A ninth locale, added by this file alone: Italian, every built-in code
# and the fixture's own.

## Top-level codes.
malformed_body = Il corpo della richiesta non è un JSON valido.
bad_request = La richiesta non è valida.
validation_failed = Controlla i campi evidenziati.
unauthenticated = Accedi di nuovo.
forbidden = Non hai il permesso di farlo.
not_found = Non abbiamo trovato ciò che cerchi.
method_not_allowed = Questa azione qui non è disponibile.
conflict = È in conflitto con dati esistenti.
payload_too_large = La richiesta è troppo grande.
uri_too_long = L'indirizzo della richiesta è troppo lungo.
headers_too_large = La richiesta ha troppe intestazioni.
unsupported_media_type = Invia il corpo della richiesta in JSON.
rate_limited = Troppe richieste. Riprova più tardi.
internal = Qualcosa è andato storto da parte nostra.
service_unavailable = Il servizio è occupato. Riprova a breve.
timeout = La richiesta ha impiegato troppo.

## Field codes.
required = Obbligatorio
null_not_allowed = Non può essere vuoto
blank = Non può essere vuoto
too_short = { $min ->
    [one] Almeno 1 carattere
   *[other] Almeno { $min } caratteri
}
too_long = { $max ->
    [one] Al massimo 1 carattere
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
too_small = Almeno { $min }
too_large = Al massimo { $max }
too_few_items = { $min ->
    [one] Aggiungi almeno 1 elemento
   *[other] Aggiungi almeno { $min } elementi
}
too_many_items = { $max ->
    [one] Al massimo 1 elemento
   *[other] Al massimo { $max } elementi
}
not_one_of = Scegli un valore consentito
unknown_field = Campo sconosciuto
already_exists = Già in uso
invalid_value = Valore non valido

## What a code without a message in any catalog gets.
contract-fallback-top = Impossibile completare la richiesta.
contract-fallback-field = Valore non valido

## The fixture's own codes.
seminar_full = Questo seminario è al completo.
