package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/media"
)

const imageMaxBytes = 5 << 20

var imageLimits = media.Limits{MaxBytes: imageMaxBytes, MaxPixels: media.DefaultLimits.MaxPixels,
	MaxDecodedBytes: media.DefaultLimits.MaxDecodedBytes, ThumbWidth: 320}

// imageGate bounds the pictures decoded at once across all requests: with
// two at 64 MB each the decodes of any number of parallel uploads stay near
// 128 MB. One waiting longer than a few seconds is told to try again (503).
var imageGate = media.NewGate(2, 5*time.Second)

// imageRetryAfter is the Retry-After, in seconds, of a busy answer.
const imageRetryAfter = "5"

// checkImage turns one upload into a stored picture, or says in the
// citizen's terms why not. status is the answer it calls for beyond 422:
// 413 for a file or picture too large, 503 when the decoder is busy.
func checkImage(ctx context.Context, data []byte, pos int, name string) (participation.Image, *participation.Error, int) {
	out, err := imageGate.Process(ctx, data, imageLimits)
	if err != nil {
		switch {
		case errors.Is(err, media.ErrBusy):
			return participation.Image{}, participation.Errorf(participation.CodeInvalid, "images", "err.image_busy",
				"%s could not be checked now: the server is busy, please send the form again in a few seconds", name), http.StatusServiceUnavailable
		case errors.Is(err, media.ErrTooLarge):
			return participation.Image{}, participation.Errorf(participation.CodeInvalid, "images", "err.image_too_large",
				"%s is larger than %d MB", name, imageMaxBytes>>20), http.StatusRequestEntityTooLarge
		case errors.Is(err, media.ErrTooBig):
			return participation.Image{}, participation.Errorf(participation.CodeInvalid, "images", "err.image_pixels",
				"%s has too many pixels", name), http.StatusRequestEntityTooLarge
		case errors.Is(err, media.ErrEmpty):
			return participation.Image{}, participation.Errorf(participation.CodeInvalid, "images", "err.image_empty_named",
				"%s is empty", name), 0
		default:
			return participation.Image{}, participation.Errorf(participation.CodeInvalid, "images", "err.image_not_image",
				"%s is not a JPEG, PNG or WebP picture", name), 0
		}
	}
	return participation.Image{Position: pos, ContentType: out.ContentType, Width: out.Width, Height: out.Height,
		Data: out.Data, Thumb: out.Thumb}, nil, 0
}

// worse keeps the status that matters most: busy (retry) over too large.
func worse(a, b int) int { return max(a, b) }

// readImages checks the pictures of a proposal form. Empty file inputs
// (a form sent without choosing a picture) are skipped.
func readImages(ctx context.Context, files []*multipart.FileHeader) ([]participation.Image, participation.ValidationErrors, int) {
	var out []participation.Image
	var ve participation.ValidationErrors
	status := 0
	var real []*multipart.FileHeader
	for _, fh := range files {
		if fh.Size > 0 || fh.Filename != "" {
			real = append(real, fh)
		}
	}
	if len(real) > participation.MaxImagesPerProposal {
		ve.Add("images", "err.too_many_images", "at most %d pictures", participation.MaxImagesPerProposal)
		return nil, ve, 0
	}
	for i, fh := range real {
		name := clip(fh.Filename, 80)
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
		}
		if fh.Size > imageMaxBytes {
			ve = append(ve, participation.Errorf(participation.CodeInvalid, "images", "err.image_too_large",
				"%s is larger than %d MB", name, imageMaxBytes>>20))
			status = worse(status, http.StatusRequestEntityTooLarge)
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
		img, perr, st := checkImage(ctx, data, i+1, name)
		if perr != nil {
			ve = append(ve, perr)
			status = worse(status, st)
			continue
		}
		out = append(out, img)
	}
	return out, ve, status
}
