# Meldungen der Seminar-API, Deutsch.
email_taken = Diese E-Mail-Adresse ist bereits registriert.
username_taken = Dieser Benutzername ist vergeben.
already_participant = Du hast bereits ein Teilnehmerprofil.
instructor_required = Nur die Kursleitung darf das.
role_required = Für diese Rolle hast du kein Profil.
participant_not_accepted = Dein Teilnehmerprofil ist noch nicht freigegeben.
already_joined = Du bist bereits für dieses Seminar angemeldet.
dropped_cannot_rejoin = Nach einer Abmeldung ist keine erneute Anmeldung möglich.
seminar_full = Dieses Seminar ist ausgebucht.
already_in_charge = Du leitest bereits ein Seminar.
not_seminar_instructor = Das darf nur die Kursleitung dieses Seminars.
instructor_cannot_drop = Als Kursleitung kannst du dich nicht abmelden.
capacity_below_participants = Die Platzzahl darf nicht unter der Teilnehmerzahl liegen.
invalid_credentials = E-Mail oder Passwort ist falsch.
