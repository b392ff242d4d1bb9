# The seminar's own codes, English. The ids are the codes of `StoreError`.
email_taken = This email is already registered.
username_taken = This username is taken.
already_participant = You already have a participant profile.
instructor_required = Only instructors can do this.
role_required = You don't have a profile for this role.
participant_not_accepted = Your participant profile hasn't been approved yet.
already_joined = You're already in this seminar.
dropped_cannot_rejoin = You can't rejoin a seminar you left.
seminar_full = This seminar is full.
already_in_charge = You're already in charge of a seminar.
not_seminar_instructor = Only this seminar's instructors can do this.
instructor_cannot_drop = Instructors can't leave their own seminar.
capacity_below_participants = Capacity can't be less than the number of participants.
invalid_credentials = Incorrect email or password.
