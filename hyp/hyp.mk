# hyp: build fragment, filled in below
