# Mensajes de contract, español.

## Top-level codes.
malformed_body = No pudimos leer la solicitud. Actualiza la app.
bad_request = La solicitud no es válida.
validation_failed = Revisa los campos marcados.
unauthenticated = Vuelve a iniciar sesión.
forbidden = No tienes permiso para hacer esto.
not_found = No encontramos lo que buscas.
method_not_allowed = Esta acción no está disponible aquí.
conflict = Esto entra en conflicto con los datos existentes.
precondition_failed = Esto cambió desde que lo cargaste. Recarga y reintenta.
precondition_required = Este cambio necesita la versión que modificas (If-Match).
idempotency_key_in_flight = Esta solicitud aún se está procesando. Reintenta pronto.
idempotency_key_reused = Esta clave ya se usó para otra solicitud.
payload_too_large = La solicitud es demasiado grande.
uri_too_long = La dirección de la solicitud es demasiado larga.
headers_too_large = La solicitud tiene demasiados encabezados.
unsupported_media_type = No pudimos leer la solicitud. Actualiza la app.
rate_limited = Demasiadas solicitudes. Inténtalo más tarde.
internal = Algo salió mal por nuestra parte.
service_unavailable = El servicio no está disponible. Inténtalo en unos minutos.
timeout = La solicitud tardó demasiado. Inténtalo de nuevo.

## Field codes.
# Neutral Spanish, for Spain and Latin America alike: tú, and no word
# only one of them uses (no «añade»/«agrega», «cupo», «ya te uniste»).

required = Obligatorio
null_not_allowed = No puede estar vacío
blank = No puede estar vacío
too_short = { $min ->
    [one] Mínimo { $min } carácter
   *[other] Mínimo { $min } caracteres
}
too_long = { $max ->
    [one] Máximo { $max } carácter
   *[other] Máximo { $max } caracteres
}
not_integer = Debe ser un número entero
not_number = Debe ser un número
not_boolean = Elige sí o no
not_string = Debe ser texto
not_object = Formato no válido
not_array = Debe ser una lista
invalid_time = Usa HH:MM (24 h)
invalid_date = Fecha no válida
invalid_format = Formato no válido
invalid_email = Escribe un correo válido
too_small = { $bound ->
    [exclusive] Mayor que { $min }
    [none] Demasiado pequeño
   *[inclusive] Mínimo { $min }
}
too_large = { $bound ->
    [exclusive] Menor que { $max }
    [none] Demasiado grande
   *[inclusive] Máximo { $max }
}
too_few_items = { $min ->
    [one] Mínimo { $min } elemento
   *[other] Mínimo { $min } elementos
}
too_many_items = { $max ->
    [one] Máximo { $max } elemento
   *[other] Máximo { $max } elementos
}
not_one_of = Elige una opción válida
unknown_field = Campo desconocido
already_exists = Ya está en uso
invalid_cursor = No es un cursor de esta lista
invalid_value = Valor no válido

## What a code without a message in any catalog gets.
contract-fallback-top = No se pudo completar la solicitud.
contract-fallback-field = Valor no válido
