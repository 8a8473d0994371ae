package social

import (
	"net/http/httptest"
)

func page(store map[string]Profile, user string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	ProfileHandler(store)(rec, httptest.NewRequest("GET", "/profile?user="+user, nil))
	return rec
}
