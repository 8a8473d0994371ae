func ProfileHandler(store map[string]Profile) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := store[r.URL.Query().Get("user")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><body><h1>%s</h1><p>%s</p></body></html>", p.DisplayName, p.Bio)
	}
}
