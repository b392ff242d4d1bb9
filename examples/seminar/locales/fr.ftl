# Messages de l'API des séminaires, français.
email_taken = Cet e-mail est déjà inscrit.
username_taken = Ce nom d'utilisateur est déjà pris.
already_participant = Vous êtes déjà participant.
instructor_required = Seuls les formateurs peuvent faire ceci.
role_required = Vous n'avez pas de profil pour ce rôle.
participant_not_accepted = Votre profil de participant n'est pas accepté.
already_joined = Vous avez déjà rejoint ce séminaire.
dropped_cannot_rejoin = Impossible de rejoindre un séminaire quitté.
seminar_full = Ce séminaire est complet.
already_in_charge = Vous animez déjà un séminaire.
not_seminar_instructor = Seuls les formateurs de ce séminaire le peuvent.
instructor_cannot_drop = Un formateur ne peut pas quitter son séminaire.
capacity_below_participants = La capacité est inférieure aux participants actuels.
invalid_credentials = E-mail ou mot de passe incorrect.
