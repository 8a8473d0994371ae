func ProfileHandler(store map[string]Profile) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := store[r.URL.Query().Get("user")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		render.HTML(w, "<html><body><h1>{{.DisplayName}}</h1><p>{{.Bio}}</p></body></html>", p)
	}
}
