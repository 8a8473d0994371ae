// Package config holds deployment settings of the SSO front door.
package config

// AllowedRedirectHosts are the only external hosts a login may redirect to.
// Relative paths on this site ("/...", but not "//host") are always allowed.
var AllowedRedirectHosts = map[string]bool{
	"app.example.com":  true,
	"docs.example.com": true,
}
