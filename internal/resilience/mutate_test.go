package resilience

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// mutate rewrites every scalar of a JSON document with f, keeping its
// shape. It is used to build hostile variants of the documents' own replies.
func mutate(doc []byte, f func(v any) any) []byte {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		panic(err)
	}
	out, err := json.Marshal(walk(v, f))
	if err != nil {
		panic(err)
	}
	return out
}

func walk(v any, f func(any) any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = walk(x, f)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = walk(x, f)
		}
		return t
	default:
		return f(v)
	}
}

// allNull replaces every scalar with null.
func allNull(any) any { return nil }

// swapKinds turns strings into numbers (or 0) and numbers into strings.
func swapKinds(v any) any {
	switch t := v.(type) {
	case string:
		if n, err := strconv.ParseFloat(t, 64); err == nil {
			return json.Number(strconv.FormatFloat(n, 'f', -1, 64))
		}
		return json.Number("0")
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	return v
}

// deepNest returns a JSON document nested n arrays deep.
func deepNest(n int) []byte {
	return append(bytes.Repeat([]byte("["), n), bytes.Repeat([]byte("]"), n)...)
}
