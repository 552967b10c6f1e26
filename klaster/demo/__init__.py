"""The demo: a generated cluster with the composition of Mazovia Cluster ICT, real CORDIS
members of the region, a cooperation log, a brokerage day, funding calls and consortium data,
loaded by `klaster demo` (idempotent, the same data for the same seed).

It sits on top of every app, as the loader that fills them all: the apps never import it.

- `vocabulary`: the words the generator composes with (towns, sectors, names, texts);
- `planning`: pure choices from a seed and a date (organisations, people, fees, cooperation);
- `loading`: writes the member registry's part; `trackrecord`, `events`, `calls` and
  `consortia` load theirs; `services.demo_load` runs them all in order.
"""
