seminar_full = This seminar is full.

seminar_closed =
  { $when ->
    [past] Closed.
 }
