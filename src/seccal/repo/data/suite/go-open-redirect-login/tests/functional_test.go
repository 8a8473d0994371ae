package sso

import "testing"

func TestFunctionalRedirects(t *testing.T) {
	cases := map[string]string{
		"":                                 "/home",
		"/reports?id=3":                    "/reports?id=3",
		"https://app.example.com/settings": "https://app.example.com/settings",
	}
	for next, want := range cases {
		code, loc := redirectFor(next)
		if code != 302 || loc != want {
			t.Errorf("next=%q: got %d %q, want %q", next, code, loc, want)
		}
	}
}
