package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/media"
)

const imageMaxBytes = 5 << 20

var imageLimits = media.Limits{MaxBytes: imageMaxBytes, MaxPixels: 40_000_000, ThumbWidth: 320}

// checkImage turns one upload into a stored picture, or says in the
// citizen's terms why not. tooLarge picks 413 over 422.
func checkImage(data []byte, pos int, name string) (participation.Image, *participation.Error, bool) {
	out, err := media.Process(data, imageLimits)
	if err != nil {
		switch {
		case errors.Is(err, media.ErrTooLarge):
			return participation.Image{}, participation.Errorf(participation.CodeInvalid, "images", "err.image_too_large",
				"%s is larger than %d MB", name, imageMaxBytes>>20), true
		case errors.Is(err, media.ErrTooBig):
			return participation.Image{}, participation.Errorf(participation.CodeInvalid, "images", "err.image_pixels",
				"%s has too many pixels", name), true
		case errors.Is(err, media.ErrEmpty):
			return participation.Image{}, participation.Errorf(participation.CodeInvalid, "images", "err.image_empty_named",
				"%s is empty", name), false
		default:
			return participation.Image{}, participation.Errorf(participation.CodeInvalid, "images", "err.image_not_image",
				"%s is not a JPEG, PNG or WebP picture", name), false
		}
	}
	return participation.Image{Position: pos, ContentType: out.ContentType, Width: out.Width, Height: out.Height,
		Data: out.Data, Thumb: out.Thumb}, nil, false
}

// readImages checks the pictures of a proposal form. Empty file inputs
// (a form sent without choosing a picture) are skipped.
func readImages(files []*multipart.FileHeader) ([]participation.Image, participation.ValidationErrors, bool) {
	var out []participation.Image
	var ve participation.ValidationErrors
	tooLarge := false
	var real []*multipart.FileHeader
	for _, fh := range files {
		if fh.Size > 0 || fh.Filename != "" {
			real = append(real, fh)
		}
	}
	if len(real) > participation.MaxImagesPerProposal {
		ve.Add("images", "err.too_many_images", "at most %d pictures", participation.MaxImagesPerProposal)
		return nil, ve, false
	}
	for i, fh := range real {
		name := clip(fh.Filename, 80)
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
		}
		if fh.Size > imageMaxBytes {
			ve = append(ve, participation.Errorf(participation.CodeInvalid, "images", "err.image_too_large",
				"%s is larger than %d MB", name, imageMaxBytes>>20))
			tooLarge = true
			continue
		}
		f, err := fh.Open()
		if err != nil {
			ve.Add("images", "err.image_not_image", "%s is not a JPEG, PNG or WebP picture", name)
			continue
		}
		data, err := io.ReadAll(io.LimitReader(f, imageMaxBytes+1))
		f.Close()
		if err != nil {
			ve.Add("images", "err.image_not_image", "%s is not a JPEG, PNG or WebP picture", name)
			continue
		}
		img, perr, big := checkImage(data, i+1, name)
		if perr != nil {
			ve = append(ve, perr)
			tooLarge = tooLarge || big
			continue
		}
		out = append(out, img)
	}
	return out, ve, tooLarge
}
