# Meldungen der Seminar-API, Deutsch.
email_taken = Diese E-Mail ist schon registriert.
username_taken = Dieser Benutzername ist vergeben.
already_participant = Du bist schon Teilnehmer.
instructor_required = Das dürfen nur Kursleiter.
role_required = Für diese Rolle hast du kein Profil.
participant_not_accepted = Dein Teilnehmerprofil ist nicht freigegeben.
already_joined = Du bist diesem Seminar schon beigetreten.
dropped_cannot_rejoin = Einem verlassenen Seminar kannst du nicht erneut beitreten.
seminar_full = Dieses Seminar ist voll.
already_in_charge = Du leitest schon ein Seminar.
not_seminar_instructor = Das dürfen nur die Kursleiter dieses Seminars.
instructor_cannot_drop = Kursleiter können ihr Seminar nicht verlassen.
capacity_below_participants = Weniger Plätze als aktuelle Teilnehmer.
invalid_credentials = E-Mail oder Passwort ist falsch.
