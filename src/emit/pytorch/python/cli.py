# ---- The command line of a generated train.py.


def parse_args(argv, name):
    parser = argparse.ArgumentParser(prog="train.py", description=f"Train {name} as `mlspec run` does, on PyTorch (one process, or DistributedDataParallel under torchrun).")
    parser.add_argument("--out", help="run folder (default runs/<name>/<time>)")
    parser.add_argument("--epochs", type=int, help="override the spec's epochs")
    parser.add_argument("--seed", type=int, help="override the spec's seed")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="where to train (default auto: CUDA when present)")
    parser.add_argument("--init-from", dest="init_from", help="start from the weights of a run folder or tfjs model folder")
    parser.add_argument("--resume", help="continue the run in this folder from its checkpoint.bin, written by this program or by `mlspec run` (any number of processes)")
    parser.add_argument("--force", action="store_true", help="write into a folder that already holds files")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    return parser.parse_args(argv)


def main(spec, model_class, argv=None):
    """Runs the spec; returns the exit code (0 ok, 1 a problem with the spec, data or files, 3 diverged)."""
    args = parse_args(sys.argv[1:] if argv is None else argv, spec["name"])
    try:
        run = Run(spec, model_class, args)
        run.started = time.time()
        run.train()
        return 0
    except MlspecError as error:
        print(f"train.py: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("train.py: interrupted again; stopped at once, the last checkpoint in the run folder is kept (continue with --resume).", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"train.py: error: cannot use {error.filename or 'a file'} ({error.strerror or error}).", file=sys.stderr)
        return 1
    finally:
        if dist.is_available() and dist.is_initialized():
            dist.destroy_process_group()
