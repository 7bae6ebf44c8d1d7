# tests: build fragment, filled in below
