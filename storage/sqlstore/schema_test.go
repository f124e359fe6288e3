package sqlstore

import "testing"

func TestFirstSchema(t *testing.T) {
	for path, want := range map[string]string{
		`ficha, public`:           "ficha",
		`"$user", public`:         "public",
		`$user,Ficha`:             "ficha",
		`"Ficha", public`:         "Ficha",
		`"outside_c,d", public`:   "outside_c,d",
		`"say ""hi""",x`:          `say "hi"`,
		`  , "$user" ,  ficha_x `: "ficha_x",
		``:                        "",
		`"$user"`:                 "",
	} {
		if got := firstSchema(path); got != want {
			t.Errorf("firstSchema(%q) = %q, want %q", path, got, want)
		}
	}
}
