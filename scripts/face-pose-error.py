"""How far HeadPose.Estimate (src/Runtime/Faces/HeadPose.cs, re-implemented here) can be trusted:
Monte Carlo over random poses with the generic face perturbed per point (shape sd, fraction of
each coordinate), a perspective camera about 6 face widths away, and landmark noise (fraction
of the face width). Prints median and 90th-percentile |error| of yaw, pitch, roll in degrees.
Run: /usr/bin/python3 scripts/face-pose-error.py (numpy only). Figures in docs/faces.md."""
import numpy as np
M=np.array([[0,0,0],[0,-330,-65],[-225,170,-135],[225,170,-135],[-150,-150,-125],[150,-150,-125]],float)
def rot(y,p,r):
    y,p,r=np.radians([y,-p,-r])
    Ry=np.array([[np.cos(y),0,np.sin(y)],[0,1,0],[-np.sin(y),0,np.cos(y)]])
    Rx=np.array([[1,0,0],[0,np.cos(p),-np.sin(p)],[0,np.sin(p),np.cos(p)]])
    Rz=np.array([[np.cos(r),-np.sin(r),0],[np.sin(r),np.cos(r),0],[0,0,1]])
    return Ry@Rx@Rz
def est(uv):
    P=M-M.mean(0); q=uv-uv.mean(0)
    A=q.T@P@np.linalg.inv(P.T@P)
    r0=A[0]/np.linalg.norm(A[0]); r1=A[1]/np.linalg.norm(A[1]); r2=np.cross(r0,r1); r2/=np.linalg.norm(r2); r1=np.cross(r2,r0)
    yaw=np.degrees(np.arctan2(r0[2],r2[2])); b=-np.arcsin(np.clip(r1[2],-1,1)); c=np.arctan2(r1[0],r1[1])
    return yaw,np.degrees(-b),np.degrees(-c)
rng=np.random.default_rng(0)
for shape_sd,noise_frac in ((0.1,0.0),(0.0,0.02),(0.1,0.02),(0.15,0.03)):
  for yawmax in (30,60):
    errs=[]
    for _ in range(2000):
        y,p,r=rng.uniform(-yawmax,yawmax),rng.uniform(-20,20),rng.uniform(-20,20)
        face=M*(1+shape_sd*rng.standard_normal(M.shape))
        # perspective: camera at 6x face size
        X=(rot(y,p,r)@face.T).T; d=3000
        uv=X[:,:2]*d/(d-X[:,2:3])
        uv+=noise_frac*450*rng.standard_normal(uv.shape)  # noise relative to face width ~450
        e=np.array(est(uv))-[y,p,r]; errs.append(np.abs(e))
    errs=np.array(errs)
    print(f"shape sd {shape_sd:.2f} landmark noise {noise_frac:.2f} of face width, |yaw|<={yawmax}: median |err| yaw/pitch/roll {np.median(errs,0).round(1)}, 90% {np.percentile(errs,90,0).round(1)}")
