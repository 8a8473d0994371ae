// Package auth authenticates bearer tokens and enforces roles.
package auth

import (
	"net/http"
	"strings"
)

// Tokens maps bearer tokens to the roles they carry.
var Tokens = map[string][]string{
	"tok-admin": {"user", "admin"},
	"tok-user":  {"user"},
}

func hasRole(r *http.Request, role string) (bool, bool) {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	roles, ok := Tokens[token]
	if !ok {
		return false, false
	}
	for _, have := range roles {
		if have == role {
			return true, true
		}
	}
	return true, false
}

// RequireRole wraps next so it only runs for callers with role:
// 401 without a valid token, 403 without the role.
func RequireRole(role string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		authenticated, allowed := hasRole(r, role)
		if !authenticated {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if !allowed {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		next(w, r)
	}
}
