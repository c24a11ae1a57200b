package apilist

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"sort"
	"strings"
)

// Undocumented lists the exported identifiers of the package in dir that
// have no doc comment: constants and variables (a group's comment covers
// its members), functions, types, methods, and the exported fields of
// exported struct types (a field's line comment counts).
func Undocumented(dir string) ([]string, error) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range pkgs {
		dp := doc.New(p, dir, 0)
		values := func(vs []*doc.Value) {
			for _, v := range vs {
				if v.Doc != "" {
					continue
				}
				for _, s := range v.Decl.Specs {
					vs := s.(*ast.ValueSpec)
					if vs.Doc != nil || vs.Comment != nil {
						continue
					}
					for _, n := range vs.Names {
						if n.IsExported() {
							out = append(out, n.Name)
						}
					}
				}
			}
		}
		values(dp.Consts)
		values(dp.Vars)
		for _, f := range dp.Funcs {
			if f.Doc == "" {
				out = append(out, f.Name)
			}
		}
		for _, t := range dp.Types {
			if t.Doc == "" {
				out = append(out, t.Name)
			}
			values(t.Consts)
			values(t.Vars)
			for _, f := range t.Funcs {
				if f.Doc == "" {
					out = append(out, f.Name)
				}
			}
			for _, m := range t.Methods {
				if m.Doc == "" {
					out = append(out, t.Name+"."+m.Name)
				}
			}
			for _, s := range t.Decl.Specs {
				ts, ok := s.(*ast.TypeSpec)
				if !ok {
					continue
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, f := range st.Fields.List {
					if f.Doc != nil || f.Comment != nil {
						continue
					}
					for _, n := range f.Names {
						if n.IsExported() {
							out = append(out, fmt.Sprintf("%s.%s", t.Name, n.Name))
						}
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out, nil
}
