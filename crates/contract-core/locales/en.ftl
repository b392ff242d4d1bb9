# Built-in messages of contract, English. One message per code; the message
# id is the code. Field messages fit 32 columns, top messages 60.

## Top-level codes.
malformed_body = We couldn't read this request. Try updating the app.
bad_request = The request is not valid.
validation_failed = Check the highlighted fields.
unauthenticated = Please sign in again.
forbidden = You don't have permission to do this.
not_found = We couldn't find what you asked for.
method_not_allowed = This action isn't supported here.
conflict = This conflicts with existing data.
precondition_failed = This was changed since you loaded it. Reload and try again.
precondition_required = This change needs the version you are changing (If-Match).
idempotency_key_in_flight = This request is still being processed. Retry shortly.
idempotency_key_reused = This key was used for another request.
payload_too_large = The request is too large.
uri_too_long = The address of the request is too long.
headers_too_large = The request has too many headers.
unsupported_media_type = We couldn't read this request. Try updating the app.
rate_limited = Too many requests. Try again later.
internal = Something went wrong on our side.
service_unavailable = The service is busy. Try again soon.
timeout = This took too long. Please try again.

## Field codes.
# `too_small`/`too_large` select on `$bound`: `inclusive`, `exclusive`, or
# `none` when the bound is only a type's limit and no number is shown.

required = Required
null_not_allowed = Can't be empty
blank = Can't be empty
too_short = { $min ->
    [one] At least { $min } character
   *[other] At least { $min } characters
}
too_long = { $max ->
    [one] At most { $max } character
   *[other] At most { $max } characters
}
not_integer = Must be a whole number
not_number = Must be a number
not_boolean = Choose yes or no
not_string = Must be text
not_object = Invalid format
not_array = Must be a list
invalid_time = Use HH:MM (24h)
invalid_date = Enter a valid date
invalid_format = Invalid format
invalid_email = Enter a valid email
too_small = { $bound ->
    [exclusive] More than { $min }
    [none] Too small
   *[inclusive] At least { $min }
}
too_large = { $bound ->
    [exclusive] Less than { $max }
    [none] Too large
   *[inclusive] At most { $max }
}
too_few_items = { $min ->
    [one] Add at least { $min } item
   *[other] Add at least { $min } items
}
too_many_items = { $max ->
    [one] At most { $max } item
   *[other] At most { $max } items
}
not_one_of = Choose a valid option
unknown_field = Unknown field
already_exists = Already in use
invalid_cursor = Not a cursor of this list
invalid_value = Invalid value

## What a code without a message in any catalog gets.
contract-fallback-top = The request could not be completed.
contract-fallback-field = Invalid value
