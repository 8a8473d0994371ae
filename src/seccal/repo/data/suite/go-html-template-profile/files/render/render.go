// Package render writes HTML pages with html/template's contextual escaping.
package render

import (
	"html/template"
	"net/http"
)

// HTML parses tmpl as an html/template and executes it with data.
func HTML(w http.ResponseWriter, tmpl string, data any) error {
	t, err := template.New("page").Parse(tmpl)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return t.Execute(w, data)
}
