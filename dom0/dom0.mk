# dom0: build fragment, filled in below
