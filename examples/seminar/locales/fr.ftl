# Messages de l'API des séminaires, français.
email_taken = Cette adresse e-mail est déjà utilisée.
username_taken = Ce nom d'utilisateur est déjà pris.
already_participant = Vous avez déjà un profil de participant.
instructor_required = Seuls les formateurs peuvent effectuer cette action.
role_required = Vous n'avez pas de profil pour ce rôle.
participant_not_accepted = Votre profil de participant n'a pas encore été validé.
already_joined = Vous participez déjà à ce séminaire.
dropped_cannot_rejoin = Impossible de rejoindre un séminaire que vous avez quitté.
seminar_full = Ce séminaire est complet.
already_in_charge = Vous animez déjà un séminaire.
not_seminar_instructor = Seuls les formateurs de ce séminaire peuvent faire cela.
instructor_cannot_drop = Un formateur ne peut pas quitter son séminaire.
capacity_below_participants = La capacité doit être au moins égale au nombre d'inscrits.
invalid_credentials = E-mail ou mot de passe incorrect.
