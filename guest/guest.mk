# guest: build fragment, filled in below
