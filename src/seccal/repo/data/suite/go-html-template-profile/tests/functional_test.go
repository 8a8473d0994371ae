package social

import (
	"strings"
	"testing"
)

func TestFunctionalProfile(t *testing.T) {
	store := map[string]Profile{"ada": {DisplayName: "Ada L.", Bio: "Engines & numbers"}}
	rec := page(store, "ada")
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "<h1>Ada L.</h1>") || !strings.Contains(body, "Engines") {
		t.Fatalf("got %d %s", rec.Code, body)
	}
	if rec := page(store, "nobody"); rec.Code != 404 {
		t.Fatalf("unknown user: %d", rec.Code)
	}
}
