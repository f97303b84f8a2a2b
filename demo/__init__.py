"""Demo and scale data, kept out of the apps: `seed_demo` fills the portal for `make run` and the role journeys,
`seed_scale` fills the `bench` database for `make bench`. Nothing in the apps imports from here."""
