# Messages de contract, français.

## Top-level codes.
malformed_body = Nous n'avons pas pu lire la requête. Mettez à jour l'app.
bad_request = La requête n'est pas valide.
validation_failed = Vérifiez les champs signalés.
unauthenticated = Veuillez vous reconnecter.
forbidden = Vous n'avez pas l'autorisation d'effectuer cette action.
not_found = Nous n'avons pas trouvé ce que vous cherchez.
method_not_allowed = Cette action n'est pas possible ici.
conflict = Cela entre en conflit avec des données existantes.
precondition_failed = Ceci a changé depuis son chargement. Rechargez et réessayez.
precondition_required = Cette modification exige la version modifiée (If-Match).
idempotency_key_in_flight = Cette requête est encore en cours. Réessayez bientôt.
idempotency_key_reused = Cette clé a servi à une autre requête.
payload_too_large = La requête est trop volumineuse.
uri_too_long = L'adresse de la requête est trop longue.
headers_too_large = La requête contient trop d'en-têtes.
unsupported_media_type = Nous n'avons pas pu lire la requête. Mettez à jour l'app.
rate_limited = Trop de requêtes. Réessayez plus tard.
internal = Un problème est survenu de notre côté.
service_unavailable = Le service est saturé. Réessayez dans quelques instants.
timeout = La requête a pris trop de temps. Réessayez.

## Field codes.
# `one` covers 0 and 1 in French: plural variants show the number.

required = Obligatoire
null_not_allowed = Ne peut pas être vide
blank = Ne peut pas être vide
too_short = { $min ->
    [one] Au moins { $min } caractère
   *[other] Au moins { $min } caractères
}
too_long = { $max ->
    [one] { $max } caractère maximum
   *[other] { $max } caractères maximum
}
not_integer = Doit être un nombre entier
not_number = Doit être un nombre
not_boolean = Choisissez oui ou non
not_string = Doit être du texte
not_object = Format non valide
not_array = Doit être une liste
invalid_time = Format HH:MM (24 h)
invalid_date = Date non valide
invalid_format = Format non valide
invalid_email = Saisissez un e-mail valide
too_small = { $bound ->
    [exclusive] Plus de { $min }
    [none] Valeur trop petite
   *[inclusive] { $min } minimum
}
too_large = { $bound ->
    [exclusive] Moins de { $max }
    [none] Valeur trop grande
   *[inclusive] { $max } maximum
}
too_few_items = { $min ->
    [one] Au moins { $min } élément
   *[other] Au moins { $min } éléments
}
too_many_items = { $max ->
    [one] { $max } élément maximum
   *[other] { $max } éléments maximum
}
not_one_of = Choisissez une option valide
unknown_field = Champ inconnu
already_exists = Valeur déjà utilisée
invalid_cursor = Curseur étranger à cette liste
invalid_value = Valeur non valide

## What a code without a message in any catalog gets.
contract-fallback-top = La requête n'a pas pu aboutir.
contract-fallback-field = Valeur non valide
